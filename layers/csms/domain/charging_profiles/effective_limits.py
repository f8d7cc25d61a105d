"""What the installed profiles let a session draw now, in amps per phase, for the allocation.

Among profiles of one purpose the charge point follows the highest stack level valid now whose
schedule has a period in force (the latest installed of equals). A 2.0.1 profile offering several
schedules (ISO 15118) counts at the highest of their limits: the vehicle may pick any of them.
"""

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from csms.domain.charging_profiles.installed import InstalledProfile, InstalledProfiles, ProfilePurpose
from csms.domain.charging_profiles.schedules import ChargingSchedule, ProfileKind, RecurrencyKind, in_amps

WHOLE_CHARGE_POINT = 0


def effective_limit_amps(
    installed: InstalledProfiles,
    transaction_id: str,
    evse_or_connector_id: int,
    now: datetime,
    *,
    voltage: Decimal,
    phases: int,
    session_start: datetime | None = None,
) -> Decimal | None:
    """The session's TxProfile in force, else the TxDefaultProfile of its connector (1.6) or EVSE (2.0.1),
    else that of the whole charge point; None when none limits it (it may draw its charger's maximum).

    Watts become amps at `voltage` over the period's `numberPhases`, else the session's `phases`.
    `session_start` anchors Relative schedules (else they count from their installation).
    """
    profiles = installed.profiles
    tiers = (
        [p for p in profiles if p.purpose is ProfilePurpose.TX and p.transaction_id == transaction_id],
        [p for p in profiles if _default_on(p, evse_or_connector_id)],
        [p for p in profiles if _default_on(p, WHOLE_CHARGE_POINT)],
    )
    for tier in tiers:
        for profile in sorted(tier, key=lambda p: (p.stack_level, p.installed_at), reverse=True):
            if not profile.valid_at(now):
                continue
            origin = session_start if profile.kind is ProfileKind.RELATIVE and session_start else _origin(profile)
            amps = _highest_amps(profile.schedules, now, profile.kind, profile.recurrency, origin, voltage, phases)
            if amps is not None:
                return amps
    return None


def external_limit_amps(
    installed: InstalledProfiles, evse_id: int, now: datetime, *, voltage: Decimal, phases: int
) -> Decimal | None:
    """The lowest limit an energy manager or grid operator sets now on the EVSE or the whole station
    (NotifyChargingLimit, or ChargingStationExternalConstraints profiles the station reported); None: none.

    A station-wide limit caps each of its sessions too (no session draws more than its station may).
    """
    places = (evse_id, WHOLE_CHARGE_POINT)
    limits = [
        _highest_amps(limit.schedules, now, ProfileKind.ABSOLUTE, None, limit.notified_at, voltage, phases)
        for limit in installed.external_limits
        if limit.evse_id is None or limit.evse_id in places
    ]
    limits += [
        _highest_amps(profile.schedules, now, profile.kind, profile.recurrency, _origin(profile), voltage, phases)
        for profile in installed.profiles
        if profile.purpose is ProfilePurpose.EXTERNAL_CONSTRAINTS
        and profile.evse_or_connector_id in places
        and profile.valid_at(now)
    ]
    return min((amps for amps in limits if amps is not None), default=None)


def _default_on(profile: InstalledProfile, place: int) -> bool:
    return profile.purpose is ProfilePurpose.TX_DEFAULT and profile.evse_or_connector_id == place


def _origin(profile: InstalledProfile) -> datetime:
    """Where a schedule without `startSchedule` starts: its validity's start, else its installation."""
    return profile.valid_from or profile.installed_at


def _highest_amps(
    schedules: Iterable[ChargingSchedule],
    at: datetime,
    kind: ProfileKind,
    recurrency: RecurrencyKind | None,
    origin: datetime,
    voltage: Decimal,
    phases: int,
) -> Decimal | None:
    amps = [
        in_amps(period.limit, schedule.rate_unit, period.number_phases or phases, voltage)
        for schedule in schedules
        if (period := schedule.period_at(at, kind, recurrency, origin)) is not None
    ]
    return max(amps, default=None)
