"""What a site, a live limit and a charger's wiring must be; every reason a value is refused, at once.

Currents and voltages are positive, bounded, with at most one decimal (OCPP limits carry one). No
limit is below the site's minimum charging current (it would only pause every vehicle) or above its
grid limit (the connection's breaker). Reasons name the fields as the operator API does.
"""

import re
from datetime import datetime
from decimal import Decimal
from itertools import combinations
from zoneinfo import ZoneInfo

from csms.domain.load_balancing.demand import PHASE_NUMBERS
from csms.domain.sites import WEEK, ChargerWiring, LimitPeriod, LiveLimit, Site

MAX_SITE_ID_LENGTH = 64
MAX_NAME_LENGTH = 128
MAX_LIMIT_PERIODS = 48
# 10 kA per phase is beyond any charging site's low-voltage connection (about 7 MW at 400 V).
MAX_AMPS = Decimal(10_000)
MAX_VOLTAGE = Decimal(1_000)
PHASES = (1, 3)
TENTH = Decimal("0.1")
# An IANA zone name ("Europe/Berlin", "Etc/GMT+5"); what the time zone database holds besides zones
# ("posix/...", "right/...": leap seconds, which Python ignores) or names this machine's own zone.
_ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+-]{0,29}(/[A-Za-z0-9_+-]{1,30}){0,2}")
_NOT_ZONES = frozenset({"localtime", "posixrules", "posix", "right"})


def site_violations(site: Site) -> list[str]:
    reasons = []
    if not is_valid_site_id(site.site_id):
        reasons.append(f"siteId: 1 to {MAX_SITE_ID_LENGTH} printable characters, without '/'")
    if not site.name.strip() or len(site.name) > MAX_NAME_LENGTH:
        reasons.append(f"name: 1 to {MAX_NAME_LENGTH} characters, not only spaces")
    grid = _current_violations("gridLimitAmps", site.grid_limit_amps)
    minimum = _current_violations("minChargingCurrentAmps", site.min_charging_current_amps)
    reasons += grid + minimum
    reasons += _phase_violations("phases", site.phases)
    reasons += _quantity_violations("voltage", site.voltage, MAX_VOLTAGE, "V")
    reasons += time_zone_violations("timeZone", site.time_zone)
    if not grid and not minimum and site.grid_limit_amps < site.min_charging_current_amps:
        reasons.append(
            f"gridLimitAmps: {site.grid_limit_amps} A is below minChargingCurrentAmps "
            f"({site.min_charging_current_amps} A): no vehicle could ever charge"
        )
    return reasons + _schedule_violations(site, bounded=not grid and not minimum)


def live_limit_violations(site: Site, live: LiveLimit, now: datetime) -> list[str]:
    reasons = _current_violations("limitAmps", live.limit_amps)
    if not reasons:
        reasons += _bounds_violations("limitAmps", live.limit_amps, site)
    if live.valid_until.tzinfo is None:
        reasons.append("validUntil: a time with its offset (Z or +01:00)")
    elif live.valid_until <= now:
        reasons.append("validUntil: a time in the future")
    return reasons


def wiring_violations(wiring: ChargerWiring) -> list[str]:
    reasons = _current_violations("maxCurrentAmps", wiring.max_current_amps)
    reasons += _phase_violations("phases", wiring.phases)
    if wiring.site_phase is not None and wiring.site_phase not in PHASE_NUMBERS:
        reasons.append(f"sitePhase: 1, 2 or 3, not {wiring.site_phase}")
    elif wiring.site_phase is not None and wiring.phases != 1:
        reasons.append("sitePhase: only a 1-phase charger (phases 1) is wired to one site phase")
    return reasons


def is_valid_site_id(site_id: str) -> bool:
    return 0 < len(site_id) <= MAX_SITE_ID_LENGTH and site_id.isprintable() and "/" not in site_id


def time_zone_violations(field: str, name: str) -> list[str]:
    reason = [f"{field}: an IANA time zone such as Europe/Berlin or UTC, not {name[:40]!r}"]
    if not _ZONE_NAME.fullmatch(name) or name in _NOT_ZONES or name.startswith(("posix/", "right/")):
        return reason
    try:
        ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # not in the database (ZoneInfoNotFoundError is a KeyError), no zone
        return reason
    return []


def _schedule_violations(site: Site, bounded: bool) -> list[str]:
    """Each period's own faults, its limit against the site's when those are valid, and overlaps."""
    schedule = site.limit_schedule
    if len(schedule) > MAX_LIMIT_PERIODS:
        return [f"limitSchedule: at most {MAX_LIMIT_PERIODS} periods, not {len(schedule)}"]
    reasons = []
    for index, period in enumerate(schedule):
        field = f"limitSchedule[{index}]"
        amps = _current_violations(f"{field}.limitAmps", period.limit_amps)
        reasons += amps
        if not amps and bounded:
            reasons += _bounds_violations(f"{field}.limitAmps", period.limit_amps, site)
        if period.start.tzinfo is not None or period.end.tzinfo is not None:
            reasons.append(f"{field}: start and end are local times of the site's time zone, without an offset")
        if not period.days:
            reasons.append(f"{field}.days: at least one day")
    for (first, earlier), (second, later) in combinations(enumerate(schedule), 2):
        if _overlap(earlier, later):
            reasons.append(f"limitSchedule[{second}] overlaps limitSchedule[{first}]: periods must not overlap")
    return reasons


def _overlap(first: LimitPeriod, second: LimitPeriod) -> bool:
    """Whether two periods share a moment of the week, by the clock on the wall (the week wraps around)."""
    return any(
        (b - a) % WEEK < length_a or (a - b) % WEEK < length_b
        for a, length_a in first.weekly_spans()
        for b, length_b in second.weekly_spans()
    )


def _bounds_violations(field: str, limit: Decimal, site: Site) -> list[str]:
    if limit < site.min_charging_current_amps:
        return [
            f"{field}: {limit} A is below minChargingCurrentAmps ({site.min_charging_current_amps} A): "
            "it would pause every vehicle"
        ]
    if limit > site.grid_limit_amps:
        return [f"{field}: {limit} A is above gridLimitAmps ({site.grid_limit_amps} A), the connection's limit"]
    return []


def _current_violations(field: str, amps: Decimal) -> list[str]:
    return _quantity_violations(field, amps, MAX_AMPS, "A")


def _quantity_violations(field: str, value: Decimal, maximum: Decimal, unit: str) -> list[str]:
    """Finite, above 0, at most `maximum`, at most one decimal (checked in that order: NaN compares to nothing)."""
    if not value.is_finite():
        return [f"{field}: a number, not {value}"]
    if not 0 < value <= maximum:
        return [f"{field}: above 0 and at most {maximum} {unit}"]
    if value != value.quantize(TENTH):
        return [f"{field}: at most one decimal"]
    return []


def _phase_violations(field: str, phases: int) -> list[str]:
    return [] if phases in PHASES else [f"{field}: 1 or 3, not {phases}"]
