"""Which stored changes are domain events, decided on domain values.

Every event's id is derived from the change alone, so a retried change makes the same events
with the same ids.
"""

from csms.domain.models import ChargePoint, TransactionStatus
from csms.domain_events.schemas import (
    ChargePointBooted,
    ChargePointStatusChanged,
    DomainEvent,
    InvoiceIssued,
    SecurityEventRaised,
    SiteChanged,
    TransactionEnded,
    TransactionStarted,
)
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
from csms.timeutil import format_timestamp


def events_of(change: StoredChange) -> list[DomainEvent]:
    match change:
        case ProfileChange():
            return _boot_events(change) + _charger_site_events(change)
        case ConnectorChange():
            return _status_events(change)
        case TransactionChange():
            return _transaction_events(change)
        case InvoiceChange():
            return _invoice_events(change)
        case SiteChange():
            return _site_events(change)
        case SecurityEventChange():
            return _security_events(change)
        case IdTokenChange():
            return []


def _boot_events(change: ProfileChange) -> list[DomainEvent]:
    """A new `last_boot` is a boot; a heartbeat or a reconnection is not."""
    before, after = change.before, change.after
    if after is None or after.last_boot is None or (before is not None and before.last_boot == after.last_boot):
        return []
    return [
        ChargePointBooted(
            event_id=f"ChargePointBooted:{change.charge_point_id}:{format_timestamp(after.last_boot)}",
            occurred_at=after.last_boot,
            charge_point_id=change.charge_point_id,
            vendor=after.vendor,
            model=after.model,
            serial_number=after.serial_number,
            firmware_version=after.firmware_version,
        )
    ]


def _status_events(change: ConnectorChange) -> list[DomainEvent]:
    """A status other than the connector's previous one (a repeated StatusNotification is none)."""
    before, after = change.before, change.after
    if after is None or (before is not None and before.status == after.status):
        return []
    # The id's format was fixed when these events were first published: consumers compare ids.
    connector = f"CONNECTOR#{after.evse_id if after.evse_id is not None else '-'}#{after.connector_id}"
    return [
        ChargePointStatusChanged(
            event_id=(
                f"ChargePointStatusChanged:{change.charge_point_id}:{connector}:"
                f"{format_timestamp(after.timestamp)}:{after.status}"
            ),
            occurred_at=after.timestamp,
            charge_point_id=change.charge_point_id,
            evse_id=after.evse_id,
            connector_id=after.connector_id,
            status=after.status,
            previous_status=before.status if before is not None else None,
            error_code=after.error_code,
        )
    ]


def _transaction_events(change: TransactionChange) -> list[DomainEvent]:
    """Started when first stored, Ended when it becomes Completed (both, if stored already ended)."""
    before, after = change.before, change.after
    if after is None:
        return []
    key = f"{after.charge_point_id}:{after.transaction_id}"
    events: list[DomainEvent] = []
    if before is None:
        events.append(
            TransactionStarted(
                event_id=f"TransactionStarted:{key}",
                occurred_at=after.started_at,
                evse_id=after.evse_id,
                connector_id=after.connector_id,
                id_token=after.id_token,
                meter_start=after.meter_start,
                charge_point_id=after.charge_point_id,
                transaction_id=after.transaction_id,
                ocpp_version=after.ocpp_version.value,
            )
        )
    completed = TransactionStatus.COMPLETED
    if after.status is completed and (before is None or before.status is not completed):
        events.append(
            TransactionEnded(
                event_id=f"TransactionEnded:{key}",
                occurred_at=after.stopped_at or after.started_at,
                id_token=after.id_token,
                started_at=after.started_at,
                stopped_at=after.stopped_at,
                meter_start=after.meter_start,
                meter_stop=after.meter_stop,
                energy_wh=after.energy_wh,
                stop_reason=after.stop_reason,
                charge_point_id=after.charge_point_id,
                transaction_id=after.transaction_id,
                ocpp_version=after.ocpp_version.value,
            )
        )
    return events


def _invoice_events(change: InvoiceChange) -> list[DomainEvent]:
    """Issued when stored; an invoice is never issued twice."""
    if change.before is not None or change.after is None:
        return []
    invoice = change.after
    return [
        InvoiceIssued(
            event_id=f"InvoiceIssued:{invoice.invoice_id}",
            occurred_at=invoice.issued_at,
            charge_point_id=invoice.charge_point_id,
            invoice_id=invoice.invoice_id,
            transaction_id=invoice.transaction_id,
            id_token=invoice.id_token,
            currency=invoice.currency,
            net=str(invoice.net),
            tax=str(invoice.tax),
            total=str(invoice.total),
        )
    ]


def _site_events(change: SiteChange) -> list[DomainEvent]:
    """A site stored with another configuration or live limit, or deleted (a write that changes neither is none)."""
    before, after, site_id = change.before, change.after, change.site_id
    if after is None:
        if before is None:
            return []
        return [
            SiteChanged(
                event_id=f"SiteChanged:{site_id}:deleted:{format_timestamp(before.updated_at)}",
                occurred_at=change.recorded_at or before.updated_at,
                site_id=site_id,
            )
        ]
    if before is not None and (before.site, before.live_limit) == (after.site, after.live_limit):
        return []
    return [
        SiteChanged(
            event_id=f"SiteChanged:{site_id}:{format_timestamp(after.updated_at)}",
            occurred_at=after.updated_at,
            site_id=site_id,
        )
    ]


def _charger_site_events(change: ProfileChange) -> list[DomainEvent]:
    """A charge point that joins or leaves a site (deleted, it leaves it), or changes its maximum current or
    phases there: one event for each site concerned."""
    before, after, charge_point_id = change.before, change.after, change.charge_point_id
    wirings = [profile.wiring for profile in (before, after) if profile is not None]
    sites = sorted({wiring.site_id for wiring in wirings if wiring.site_id is not None})
    if not sites or (before is not None and after is not None and before.wiring == after.wiring):
        return []
    # The wiring changes only when the operator updates the charge point, which sets `updated_at`.
    if after is not None:
        stamp, occurred_at = _updated(after), after.updated_at or change.recorded_at
    else:
        assert before is not None
        stamp, occurred_at = f"deleted:{_updated(before)}", change.recorded_at or before.updated_at
    if occurred_at is None:
        return []
    return [
        SiteChanged(
            event_id=f"SiteChanged:{site_id}:{charge_point_id}:{stamp}",
            occurred_at=occurred_at,
            site_id=site_id,
            charge_point_id=charge_point_id,
        )
        for site_id in sites
    ]


def _updated(charge_point: ChargePoint) -> str:
    return format_timestamp(charge_point.updated_at) if charge_point.updated_at is not None else "-"


def _security_events(change: SecurityEventChange) -> list[DomainEvent]:
    """A critical security event, when stored (a resent one that replaces itself is not announced again)."""
    event = change.after
    if change.before is not None or event is None or not event.critical:
        return []
    return [
        SecurityEventRaised(
            event_id=f"SecurityEventRaised:{event.charge_point_id}:{event.event_id}",
            occurred_at=event.timestamp,
            charge_point_id=event.charge_point_id,
            security_event_id=event.event_id,
            type=event.type,
            source=event.source.value,
            detail=dict(event.detail),
        )
    ]
