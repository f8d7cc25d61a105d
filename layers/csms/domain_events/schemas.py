"""The documented, versioned `detail` of every domain event (camelCase JSON).

`schemaVersion` changes only on an incompatible change; fields may be added within a version.
The events are plain dataclasses, so announcing them imports no pydantic (about half of `import
boto3` on a cold start); pydantic reads them as they are (`__pydantic_config__`) to document
their schema (`csms.domain_events.docs`) or to validate a detail (`TypeAdapter(TransactionEnded)`).
"""

import json
from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar, Literal

EVENT_SOURCE = "csms"


def camel_case(name: str) -> str:
    first, *others = name.split("_")
    return first + "".join(word.capitalize() for word in others)


def _json_value(value: object) -> object:
    """As pydantic writes it: RFC 3339 times (UTC as `Z`), decimals as exact strings."""
    if isinstance(value, datetime):
        text = value.isoformat()
        return f"{text.removesuffix('+00:00')}Z" if text.endswith("+00:00") else text
    if isinstance(value, Decimal):
        return str(value)
    return value


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """Common envelope fields. `detail_type` is the EventBridge `detail-type`."""

    detail_type: ClassVar[str]
    __pydantic_config__: ClassVar[dict[str, Any]] = {"alias_generator": camel_case, "populate_by_name": True}

    event_id: str
    schema_version: Literal[1] = 1
    occurred_at: datetime

    def detail_json(self) -> str:
        detail = {camel_case(field.name): _json_value(getattr(self, field.name)) for field in fields(self)}
        return json.dumps(detail, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True, kw_only=True)
class ChargePointEvent(DomainEvent):
    """What happened to one charge point."""

    charge_point_id: str


@dataclass(frozen=True, kw_only=True)
class ChargePointBooted(ChargePointEvent):
    """A charge point booted (BootNotification): what it reported about itself."""

    detail_type: ClassVar[str] = "ChargePointBooted"
    vendor: str | None = None
    model: str | None = None
    serial_number: str | None = None
    firmware_version: str | None = None


@dataclass(frozen=True, kw_only=True)
class ChargePointStatusChanged(ChargePointEvent):
    """A connector changed status (StatusNotification); in 1.6, `connectorId` 0 is the whole charge point."""

    detail_type: ClassVar[str] = "ChargePointStatusChanged"
    evse_id: int | None = None
    connector_id: int
    status: str
    previous_status: str | None = None
    error_code: str | None = None


@dataclass(frozen=True, kw_only=True)
class TransactionStarted(ChargePointEvent):
    """A charging session started (1.6 StartTransaction, 2.0.1 TransactionEvent Started)."""

    detail_type: ClassVar[str] = "TransactionStarted"
    transaction_id: str
    ocpp_version: str
    evse_id: int | None = None
    connector_id: int | None = None
    id_token: str | None = None
    meter_start: Decimal | None = None


@dataclass(frozen=True, kw_only=True)
class TransactionEnded(ChargePointEvent):
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


@dataclass(frozen=True, kw_only=True)
class InvoiceIssued(ChargePointEvent):
    """An invoice was issued for a session (amounts as decimal strings in `currency`)."""

    detail_type: ClassVar[str] = "InvoiceIssued"
    invoice_id: str
    transaction_id: str
    id_token: str | None = None
    currency: str
    net: str
    tax: str
    total: str


@dataclass(frozen=True, kw_only=True)
class SiteChanged(DomainEvent):
    """What a site's chargers may draw may have to change: the site was created, reconfigured or deleted, its live
    limit set or ended, or a charger joined it, left it, or changed its maximum current or phases (`chargePointId`).
    A live limit that expires or a schedule period that begins or ends is not announced."""

    detail_type: ClassVar[str] = "SiteChanged"
    site_id: str
    charge_point_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class SecurityEventRaised(ChargePointEvent):
    """A critical security event: one a charger reported (SecurityEventNotification, critical per the OCPP 2.0.1
    security event list) or a finding of the CSMS about the charger (`source` `csms`, e.g. RepeatedWrongPasswords).
    `occurredAt` is the charger's time for its own events. `detail` holds what is known (a charger's `techInfo`)."""

    detail_type: ClassVar[str] = "SecurityEventRaised"
    security_event_id: str
    type: str
    source: Literal["charger", "csms"]
    detail: dict[str, Any]


EVENT_TYPES: tuple[type[DomainEvent], ...] = (
    ChargePointBooted,
    ChargePointStatusChanged,
    TransactionStarted,
    TransactionEnded,
    InvoiceIssued,
    SiteChanged,
    SecurityEventRaised,
)
