"""What the CSMS takes from a charge point as plausible: generous for real hardware, absurd beyond.

A value the CSMS computes with must stay within these limits, or one charge point's glitch could
overflow pricing (28-digit decimals) or storage (DynamoDB numbers: 38 digits, 10^-130 to 10^126)
and fail billing for everyone. README, "OCPP behaviour", says what happens to a value beyond them.
"""

from datetime import UTC, datetime
from decimal import Decimal

# An energy register, in Wh: up to 1 TWh (a 350 kW charge point delivering non-stop takes 326 years).
MAX_REGISTER_WH = Decimal(10**12)
# Any sampled value, after its multiplier: 0, or a magnitude between these.
MIN_MAGNITUDE = Decimal("1e-6")
MAX_MAGNITUDE = Decimal(10**12)
# OCPP 2.0.1 `unitOfMeasure.multiplier`: the value is value x 10^multiplier.
MULTIPLIERS = range(-9, 10)
# Date-times, UTC, up to (not including) LATEST. A clock that was never set reads 1970 or 2000.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def register_problem(wh: Decimal) -> str | None:
    """Why `wh` cannot be an energy register reading, or None if it can."""
    if not wh.is_finite() or not 0 <= wh <= MAX_REGISTER_WH:
        return f"{wh} Wh is not an energy register reading (0 to 10^12 Wh)"
    return None


def sampled_value_problem(value: Decimal, multiplier: int = 0) -> str | None:
    """Why a sampled value of `value` x 10^`multiplier` is out of range, or None if it is in range."""
    if not value.is_finite():
        return f"{value} is not a finite number"
    if multiplier not in MULTIPLIERS:
        return f"multiplier {multiplier} is outside {MULTIPLIERS.start} to {MULTIPLIERS.stop - 1}"
    magnitude = abs(value.scaleb(multiplier))
    if magnitude and not MIN_MAGNITUDE <= magnitude <= MAX_MAGNITUDE:
        return f"{value} x 10^{multiplier} is outside 10^-6 to 10^12 in magnitude"
    return None


def timestamp_problem(value: datetime) -> str | None:
    """Why `value` cannot be a date-time a charge point means, or None if it can."""
    if not EARLIEST <= value < LATEST:
        return f"{value.isoformat()} is not between {EARLIEST.year} and {LATEST.year - 1}"
    return None
