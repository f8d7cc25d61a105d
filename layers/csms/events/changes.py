"""Which stored changes are domain events: one function per table, on stream images."""

from collections.abc import Callable
from typing import Any

from csms import tables
from csms.events.schemas import (
    ChargePointBooted,
    ChargePointStatusChanged,
    DomainEvent,
    InvoiceIssued,
    TransactionEnded,
    TransactionStarted,
)
from csms.timeutil import parse_timestamp

Image = dict[str, Any]
COMPLETED = "Completed"


def _profile_events(old: Image, new: Image) -> list[DomainEvent]:
    if not new.get("lastBoot") or new.get("lastBoot") == old.get("lastBoot"):
        return []
    charge_point_id = new["chargePointId"]
    return [
        ChargePointBooted(
            event_id=f"ChargePointBooted:{charge_point_id}:{new['lastBoot']}",
            occurred_at=parse_timestamp(new["lastBoot"]),
            charge_point_id=charge_point_id,
            vendor=new.get("vendor"),
            model=new.get("model"),
            serial_number=new.get("serialNumber"),
            firmware_version=new.get("firmwareVersion"),
        )
    ]


def _connector_events(old: Image, new: Image) -> list[DomainEvent]:
    if not new or new.get("status") == old.get("status"):
        return []
    charge_point_id = new["chargePointId"]
    return [
        ChargePointStatusChanged(
            event_id=f"ChargePointStatusChanged:{charge_point_id}:{new['itemKey']}:{new['timestamp']}:{new['status']}",
            occurred_at=parse_timestamp(new["timestamp"]),
            charge_point_id=charge_point_id,
            evse_id=new.get("evseId"),
            connector_id=new["connectorId"],
            status=new["status"],
            previous_status=old.get("status"),
            error_code=new.get("errorCode"),
        )
    ]


def charge_point_events(old: Image, new: Image) -> list[DomainEvent]:
    item_key = str((new or old).get("itemKey", ""))
    if item_key == "#PROFILE":
        return _profile_events(old, new)
    if item_key.startswith("CONNECTOR#"):
        return _connector_events(old, new)
    return []


def transaction_events(old: Image, new: Image) -> list[DomainEvent]:
    if not new:
        return []
    charge_point_id, transaction_id = new["chargePointId"], new["transactionId"]
    key = f"{charge_point_id}:{transaction_id}"
    common = {"charge_point_id": charge_point_id, "transaction_id": transaction_id, "ocpp_version": new["ocppVersion"]}
    events: list[DomainEvent] = []
    if not old:
        events.append(
            TransactionStarted(
                event_id=f"TransactionStarted:{key}",
                occurred_at=parse_timestamp(new["startedAt"]),
                evse_id=new.get("evseId"),
                connector_id=new.get("connectorId"),
                id_token=new.get("idToken"),
                meter_start=new.get("meterStart"),
                **common,
            )
        )
    if new.get("status") == COMPLETED and old.get("status") != COMPLETED:
        events.append(
            TransactionEnded(
                event_id=f"TransactionEnded:{key}",
                occurred_at=parse_timestamp(new.get("stoppedAt") or new["startedAt"]),
                id_token=new.get("idToken"),
                started_at=parse_timestamp(new["startedAt"]),
                stopped_at=parse_timestamp(new["stoppedAt"]) if new.get("stoppedAt") else None,
                meter_start=new.get("meterStart"),
                meter_stop=new.get("meterStop"),
                energy_wh=new.get("energyWh"),
                stop_reason=new.get("stopReason"),
                **common,
            )
        )
    return events


def invoice_events(old: Image, new: Image) -> list[DomainEvent]:
    if old or not new:
        return []
    return [
        InvoiceIssued(
            event_id=f"InvoiceIssued:{new['invoiceId']}",
            occurred_at=parse_timestamp(new["issuedAt"]),
            charge_point_id=new["chargePointId"],
            invoice_id=new["invoiceId"],
            transaction_id=new["transactionId"],
            id_token=new.get("idToken"),
            currency=new["currency"],
            net=new["net"],
            tax=new["tax"],
            total=new["total"],
        )
    ]


# Tables whose stream feeds the bus, by logical name (the stream's table is in its ARN).
EVENTS_BY_TABLE: dict[str, Callable[[Image, Image], list[DomainEvent]]] = {
    tables.CHARGE_POINTS.logical_name: charge_point_events,
    tables.TRANSACTIONS.logical_name: transaction_events,
    tables.INVOICES.logical_name: invoice_events,
}
