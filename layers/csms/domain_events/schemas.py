"""The documented, versioned `detail` of every domain event (camelCase JSON).

`schemaVersion` changes only on an incompatible change; fields may be added within a version.
"""

from datetime import datetime
from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

EVENT_SOURCE = "csms"


class DomainEvent(BaseModel):
    """Common envelope fields. `detail_type` is the EventBridge `detail-type`."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)
    detail_type: ClassVar[str]

    event_id: str
    schema_version: Literal[1] = 1
    occurred_at: datetime
    charge_point_id: str

    def detail_json(self) -> str:
        return self.model_dump_json(by_alias=True)


class ChargePointBooted(DomainEvent):
    """A charge point booted (BootNotification): what it reported about itself."""

    detail_type: ClassVar[str] = "ChargePointBooted"
    vendor: str | None = None
    model: str | None = None
    serial_number: str | None = None
    firmware_version: str | None = None


class ChargePointStatusChanged(DomainEvent):
    """A connector changed status (StatusNotification); in 1.6, `connectorId` 0 is the whole charge point."""

    detail_type: ClassVar[str] = "ChargePointStatusChanged"
    evse_id: int | None = None
    connector_id: int
    status: str
    previous_status: str | None = None
    error_code: str | None = None


class TransactionStarted(DomainEvent):
    """A charging session started (1.6 StartTransaction, 2.0.1 TransactionEvent Started)."""

    detail_type: ClassVar[str] = "TransactionStarted"
    transaction_id: str
    ocpp_version: str
    evse_id: int | None = None
    connector_id: int | None = None
    id_token: str | None = None
    meter_start: Decimal | None = None


class TransactionEnded(DomainEvent):
    """A charging session ended, with its meter readings and energy (1.6 StopTransaction, 2.0.1 Ended)."""

    detail_type: ClassVar[str] = "TransactionEnded"
    transaction_id: str
    ocpp_version: str
    id_token: str | None = None
    started_at: datetime
    stopped_at: datetime | None = None
    meter_start: Decimal | None = None
    meter_stop: Decimal | None = None
    energy_wh: Decimal | None = None
    stop_reason: str | None = None


class InvoiceIssued(DomainEvent):
    """An invoice was issued for a session (amounts as decimal strings in `currency`)."""

    detail_type: ClassVar[str] = "InvoiceIssued"
    invoice_id: str
    transaction_id: str
    id_token: str | None = None
    currency: str
    net: str
    tax: str
    total: str


EVENT_TYPES: tuple[type[DomainEvent], ...] = (
    ChargePointBooted,
    ChargePointStatusChanged,
    TransactionStarted,
    TransactionEnded,
    InvoiceIssued,
)
