"""One domain model for OCPP 1.6 and 2.0.1: per-version mapping happens in `csms.ocpp`."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from csms.ocpp_versions import OcppVersion


class IdTokenStatus(StrEnum):
    """Statuses an operator can give a token; both OCPP versions know all four."""

    ACCEPTED = "Accepted"
    BLOCKED = "Blocked"
    EXPIRED = "Expired"
    INVALID = "Invalid"


class TransactionStatus(StrEnum):
    ACTIVE = "Active"
    COMPLETED = "Completed"


@dataclass(frozen=True)
class ConnectorStatus:
    """Latest status of a connector. `evse_id` is None for OCPP 1.6 (connector 0 = whole charger)."""

    connector_id: int
    status: str
    timestamp: datetime
    evse_id: int | None = None
    error_code: str | None = None
    info: str | None = None

    @property
    def key(self) -> str:
        return f"{self.evse_id if self.evse_id is not None else '-'}#{self.connector_id}"


@dataclass(frozen=True)
class BootInfo:
    vendor: str
    model: str
    serial_number: str | None = None
    firmware_version: str | None = None
    boot_reason: str | None = None


@dataclass
class ChargePoint:
    charge_point_id: str
    password_hash: str | None = None
    vendor: str | None = None
    model: str | None = None
    serial_number: str | None = None
    firmware_version: str | None = None
    ocpp_version: OcppVersion | None = None
    connection_id: str | None = None
    connected: bool = False
    last_boot: datetime | None = None
    last_seen: datetime | None = None
    registered_at: datetime | None = None
    connectors: list[ConnectorStatus] = field(default_factory=list)


@dataclass(frozen=True)
class Connection:
    connection_id: str
    charge_point_id: str
    ocpp_version: OcppVersion
    connected_at: datetime


@dataclass(frozen=True)
class IdToken:
    id_token: str
    status: IdTokenStatus
    expiry: datetime | None = None
    parent_id: str | None = None
    token_type: str | None = None


@dataclass(frozen=True)
class Authorization:
    """The answer to "may this token charge?", the same for Authorize and transactions."""

    status: IdTokenStatus
    expiry: datetime | None = None
    parent_id: str | None = None


@dataclass(frozen=True)
class MeterReading:
    """One MeterValues entry: the sampled values as the charge point sent them (camelCase)."""

    timestamp: datetime
    sampled_values: list[dict[str, object]]


@dataclass
class Transaction:
    charge_point_id: str
    transaction_id: str
    ocpp_version: OcppVersion
    status: TransactionStatus
    started_at: datetime
    connector_id: int | None = None
    evse_id: int | None = None
    id_token: str | None = None
    meter_start: Decimal | None = None
    meter_stop: Decimal | None = None
    stopped_at: datetime | None = None
    stop_reason: str | None = None

    @property
    def energy_wh(self) -> Decimal | None:
        if self.meter_start is None or self.meter_stop is None:
            return None
        return max(self.meter_stop - self.meter_start, Decimal(0))
