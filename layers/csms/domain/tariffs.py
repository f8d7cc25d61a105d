"""Tariffs and what a charging session costs under one.

A session is priced by the tariff in force when it started: the transaction keeps a copy.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, DecimalException

from csms.domain.money import round_amount

ZERO = Decimal(0)
MICROSECONDS_PER_MINUTE = Decimal(60_000_000)
WH_PER_KWH = Decimal(1000)


class PricingError(ValueError):
    """A session that cannot be priced: its usage or its tariff is beyond what decimals can hold."""


@dataclass(frozen=True)
class Tariff:
    """Prices are exact decimals in `currency`; `tax_rate` is a fraction ("0.19")."""

    tariff_id: str
    currency: str
    price_per_kwh: Decimal = ZERO
    price_per_minute: Decimal = ZERO
    session_fee: Decimal = ZERO
    idle_fee_per_minute: Decimal = ZERO
    idle_grace_minutes: Decimal = ZERO
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    tax_rate: Decimal = ZERO
    # Shown on the charge point when a session starts (OCPP 2.0.1 SetDisplayMessage).
    display_text: str | None = None


@dataclass(frozen=True)
class SessionUsage:
    """What a session used. `idle_since`: charging stopped while the vehicle stayed plugged in."""

    energy_wh: Decimal
    started_at: datetime
    stopped_at: datetime
    idle_since: datetime | None = None

    @property
    def charging_minutes(self) -> Decimal:
        charging_end = min(self.idle_since, self.stopped_at) if self.idle_since else self.stopped_at
        return _minutes(charging_end - self.started_at)

    @property
    def idle_minutes(self) -> Decimal:
        return _minutes(self.stopped_at - self.idle_since) if self.idle_since else ZERO


@dataclass(frozen=True)
class Line:
    kind: str  # energy, time, idle, sessionFee, minimumPrice, maximumPrice, tax
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal  # rounded for display; totals come from the exact amounts


@dataclass(frozen=True)
class Price:
    currency: str
    lines: tuple[Line, ...]
    net: Decimal
    tax: Decimal
    total: Decimal


def price_session(tariff: Tariff, usage: SessionUsage) -> Price:
    """Each component exactly; minimum and maximum bound the net; the total is rounded once.

    net = round(bounded exact net); total = round(exact net x (1 + tax rate)); tax = total - net,
    so that net + tax = total to the cent. A session that delivered no energy costs nothing
    (a failed start is not billed). Raises `PricingError` if an amount is beyond the decimal
    context (28 digits), however absurd the usage or the tariff.
    """
    try:
        return _price(tariff, usage)
    except DecimalException as error:
        raise PricingError(f"The session cannot be priced by tariff {tariff.tariff_id!r}: {error!r}") from error


def _price(tariff: Tariff, usage: SessionUsage) -> Price:
    if usage.energy_wh <= 0:
        zero = round_amount(ZERO, tariff.currency)
        return Price(currency=tariff.currency, lines=(), net=zero, tax=zero, total=zero)
    energy_kwh = usage.energy_wh / WH_PER_KWH
    billable_idle = max(usage.idle_minutes - tariff.idle_grace_minutes, ZERO)
    components = [
        ("energy", energy_kwh, tariff.price_per_kwh),
        ("time", usage.charging_minutes, tariff.price_per_minute),
        ("idle", billable_idle, tariff.idle_fee_per_minute),
        ("sessionFee", Decimal(1), tariff.session_fee),
    ]
    exact_lines = [(kind, quantity, unit, quantity * unit) for kind, quantity, unit in components if unit]
    exact_net = sum((amount for *_, amount in exact_lines), ZERO)
    if tariff.min_price is not None and exact_net < tariff.min_price:
        exact_lines.append(("minimumPrice", Decimal(1), tariff.min_price - exact_net, tariff.min_price - exact_net))
        exact_net = tariff.min_price
    if tariff.max_price is not None and exact_net > tariff.max_price:
        exact_lines.append(("maximumPrice", Decimal(1), tariff.max_price - exact_net, tariff.max_price - exact_net))
        exact_net = tariff.max_price
    currency = tariff.currency
    net = round_amount(exact_net, currency)
    total = round_amount(exact_net * (1 + tariff.tax_rate), currency)
    lines = [Line(kind, quantity, unit, round_amount(amount, currency)) for kind, quantity, unit, amount in exact_lines]
    if tariff.tax_rate:
        lines.append(Line("tax", net, tariff.tax_rate, total - net))
    return Price(currency=currency, lines=tuple(lines), net=net, tax=total - net, total=total)


def _minutes(duration: timedelta) -> Decimal:
    """Exact, from whole microseconds (a float of seconds would print 25 minutes as "25.0")."""
    microseconds = Decimal(duration // timedelta(microseconds=1))
    return max(microseconds / MICROSECONDS_PER_MINUTE, ZERO)
