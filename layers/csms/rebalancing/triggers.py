"""Which sites a stored change concerns: those whose allocation it may change.

A session that starts or ends, or whose vehicle stops or resumes drawing (2.0.1 chargingState; a 1.6
connector's SuspendedEV) or tells its charging needs (2.0.1 NotifyEVChargingNeeds); a connector's status;
a charger that connects, disconnects or boots; a charger that joins or leaves a site or changes its
maximum, phases or site phase; a site's configuration or limit.
"""

from collections.abc import Mapping, Sequence

from csms.domain.models import ChargePoint, Transaction
from csms.domain.ports import ChargePointRepository
from csms.domain_events.stored_changes import (
    ConnectorChange,
    ProfileChange,
    SiteChange,
    StoredChange,
    TransactionChange,
)


def sites_concerned(changes: Sequence[StoredChange], charge_points: ChargePointRepository) -> list[set[str]]:
    """The sites each change concerns, in order; the sites of session and connector changes found with one read
    of their chargers' profiles for all of them."""
    located = [_located_by_charger(change) for change in changes]
    site_of = charge_points.sites_of({charge_point_id for charge_point_id in located if charge_point_id})
    return [_sites(change, charge_point_id, site_of) for change, charge_point_id in zip(changes, located, strict=True)]


def _sites(change: StoredChange, located_by: str | None, site_of: Mapping[str, str]) -> set[str]:
    """`located_by`: the charger whose site the change concerns, if it is a session or connector change."""
    match change:
        case SiteChange():
            return {change.site_id}
        case ProfileChange():
            return _charger_sites(change.before, change.after)
    site_id = site_of.get(located_by) if located_by else None
    return {site_id} if site_id else set()


def _located_by_charger(change: StoredChange) -> str | None:
    """The charger whose site a session or connector change concerns (None: no site, or not by its charger's)."""
    match change:
        case TransactionChange() if _session_changed(change):
            return change.charge_point_id
        case ConnectorChange() if change.after is not None and (
            change.before is None or change.before.status != change.after.status
        ):
            return change.charge_point_id
        case _:
            return None


def _charger_sites(before: ChargePoint | None, after: ChargePoint | None) -> set[str]:
    """Its site(s) when it joins, leaves or is rewired, connects, disconnects or boots."""
    if before is not None and after is not None and _picture(before) == _picture(after):
        return set()
    return {profile.wiring.site_id for profile in (before, after) if profile is not None and profile.wiring.site_id}


def _picture(charge_point: ChargePoint) -> tuple[object, ...]:
    return charge_point.wiring, charge_point.connected, charge_point.connection_id, charge_point.last_boot


def _session_changed(change: TransactionChange) -> bool:
    before, after = change.before, change.after
    if before is None or after is None:
        return True
    return _session_picture(before) != _session_picture(after)


def _session_picture(transaction: Transaction) -> tuple[object, ...]:
    return transaction.status, transaction.idle_since, transaction.has_charged, transaction.charging_needs
