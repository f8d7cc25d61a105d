"""Request and response bodies of the operator API (camelCase on the wire)."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from csms.domain.models import ChargePoint, ConnectorStatus, IdToken, IdTokenStatus, Transaction


class ApiModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class ChargerRegistration(ApiModel):
    password: str | None = Field(
        default=None,
        min_length=8,
        max_length=40,
        description="HTTP Basic password (OCPP: 16 to 40 characters recommended)",
    )


class Connector(ApiModel):
    connector_id: int
    evse_id: int | None = None
    status: str
    error_code: str | None = None
    info: str | None = None
    timestamp: datetime

    @classmethod
    def of(cls, connector: ConnectorStatus) -> "Connector":
        return cls(
            connector_id=connector.connector_id,
            evse_id=connector.evse_id,
            status=connector.status,
            error_code=connector.error_code,
            info=connector.info,
            timestamp=connector.timestamp,
        )


class Charger(ApiModel):
    id: str
    connected: bool
    ocpp_version: str | None
    vendor: str | None
    model: str | None
    serial_number: str | None
    firmware_version: str | None
    last_seen: datetime | None
    last_boot: datetime | None
    has_password: bool
    connectors: list[Connector]

    @classmethod
    def of(cls, charge_point: ChargePoint) -> "Charger":
        return cls(
            id=charge_point.charge_point_id,
            connected=charge_point.connected,
            ocpp_version=charge_point.ocpp_version.value if charge_point.ocpp_version else None,
            vendor=charge_point.vendor,
            model=charge_point.model,
            serial_number=charge_point.serial_number,
            firmware_version=charge_point.firmware_version,
            last_seen=charge_point.last_seen,
            last_boot=charge_point.last_boot,
            has_password=charge_point.password_hash is not None,
            connectors=[Connector.of(connector) for connector in charge_point.connectors],
        )


class IdTokenRegistration(ApiModel):
    status: IdTokenStatus = IdTokenStatus.ACCEPTED
    expiry: datetime | None = None
    parent_id: str | None = Field(default=None, max_length=36)
    type: str | None = Field(default=None, description="OCPP 2.0.1 IdTokenEnumType, e.g. ISO14443")


class IdTokenView(ApiModel):
    id_token: str
    status: IdTokenStatus
    expiry: datetime | None
    parent_id: str | None
    type: str | None

    @classmethod
    def of(cls, token: IdToken) -> "IdTokenView":
        return cls(
            id_token=token.id_token,
            status=token.status,
            expiry=token.expiry,
            parent_id=token.parent_id,
            type=token.token_type,
        )


class TransactionView(ApiModel):
    transaction_id: str
    charger_id: str
    ocpp_version: str
    connector_id: int | None
    evse_id: int | None
    id_token: str | None
    status: str
    started_at: datetime
    stopped_at: datetime | None
    meter_start: float | None
    meter_stop: float | None
    energy_wh: float | None
    stop_reason: str | None

    @classmethod
    def of(cls, transaction: Transaction) -> "TransactionView":
        def number(value: object) -> float | None:
            return float(str(value)) if value is not None else None

        return cls(
            transaction_id=transaction.transaction_id,
            charger_id=transaction.charge_point_id,
            ocpp_version=transaction.ocpp_version.value,
            connector_id=transaction.connector_id,
            evse_id=transaction.evse_id,
            id_token=transaction.id_token,
            status=transaction.status.value,
            started_at=transaction.started_at,
            stopped_at=transaction.stopped_at,
            meter_start=number(transaction.meter_start),
            meter_stop=number(transaction.meter_stop),
            energy_wh=number(transaction.energy_wh),
            stop_reason=transaction.stop_reason,
        )


class Health(ApiModel):
    status: str
