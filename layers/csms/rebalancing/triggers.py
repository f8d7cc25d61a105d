"""Which sites a stored change concerns: those whose allocation it may change.

A session that starts or ends, or whose vehicle stops or resumes drawing (2.0.1 chargingState; a 1.6
connector's SuspendedEV) or tells its charging needs (2.0.1 NotifyEVChargingNeeds); a connector's status;
a charger that connects, disconnects or boots; a charger that joins or leaves a site or changes its
maximum, phases or site phase; a site's configuration or limit.
"""

from csms.domain.models import ChargePoint, Transaction
from csms.domain.ports import ChargePointRepository
from csms.domain_events.stored_changes import (
    ConnectorChange,
    IdTokenChange,
    InvoiceChange,
    ProfileChange,
    SecurityEventChange,
    SiteChange,
    StoredChange,
    TransactionChange,
)


def sites_concerned(change: StoredChange, charge_points: ChargePointRepository) -> set[str]:
    match change:
        case SiteChange():
            return {change.site_id}
        case ProfileChange():
            return _charger_sites(change.before, change.after)
        case TransactionChange() if _session_changed(change):
            return _site_of(change.charge_point_id, charge_points)
        case ConnectorChange() if change.after is not None and (
            change.before is None or change.before.status != change.after.status
        ):
            return _site_of(change.charge_point_id, charge_points)
        case TransactionChange() | ConnectorChange() | InvoiceChange() | SecurityEventChange() | IdTokenChange():
            return set()


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


def _site_of(charge_point_id: str, charge_points: ChargePointRepository) -> set[str]:
    site_id = charge_points.site_of(charge_point_id)
    return {site_id} if site_id else set()
