"""Request and response bodies of the operator API (camelCase on the wire)."""

import re
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Generic, Literal, TypeVar, overload

from pydantic import BeforeValidator, Field, PlainSerializer

from csms.api.api_model import ApiModel
from csms.domain.charging_priority import MAX_CHARGING_PRIORITY, MIN_CHARGING_PRIORITY
from csms.domain.configuration_variables import ConfigurationVariable
from csms.domain.metering import out_of_range
from csms.domain.models import (
    ChargePoint,
    ConnectorStatus,
    IdToken,
    IdTokenStatus,
    MeterReading,
    RecordedError,
    Reservation,
    ReservationStatus,
    Transaction,
)
from csms.domain.security_profiles import effective_security_profile
from csms.domain.sites import WiringChange

if TYPE_CHECKING:
    from csms.domain.running_cost import SessionCost
    from csms.domain.transaction_history import RecordedTransaction

T = TypeVar("T")


# OCPP 2.0.1's, as `ocpp.v201.enums` has it (a test holds the two equal): importing that module imports
# all of `ocpp.v201`, its messages and jsonschema, which the operator API needs only to validate a command.
class IdTokenEnumType(StrEnum):
    """Allowable values of the IdTokenType field."""

    central = "Central"
    e_maid = "eMAID"
    iso14443 = "ISO14443"
    iso15693 = "ISO15693"
    key_code = "KeyCode"
    local = "Local"
    mac_address = "MacAddress"
    no_authorization = "NoAuthorization"


# The number rule. Money and energy on the wire: a JSON string holding a decimal number in plain
# notation ("11.50", "1000.5"), so no client reads it through a binary float. Counts and ids are JSON
# numbers. OCPP payloads shown as sent (sampled values, command payloads) keep their own numbers.
DecimalString = Annotated[
    str, Field(pattern=r"^-?\d+(\.\d+)?$", json_schema_extra={"format": "decimal"}, examples=["1000.5"])
]


@overload
def decimal_string(value: Decimal | int) -> str: ...
@overload
def decimal_string(value: None) -> None: ...
def decimal_string(value: Decimal | int | None) -> str | None:
    """An amount as computed or entered, in plain notation: "11.50" stays "11.50", Decimal("1E+3") is "1000"."""
    return format(Decimal(value), "f") if value is not None else None


@overload
def energy_string(value: Decimal | int) -> str: ...
@overload
def energy_string(value: None) -> None: ...
def energy_string(value: Decimal | int | None) -> str | None:
    """Energy without trailing zeros, however the charge point wrote it: 6500.0 Wh is "6500", 2500.50 "2500.5"."""
    return decimal_string(Decimal(value).normalize()) if value is not None else None


_PLAIN_DECIMAL = re.compile(r"-?\d+(\.\d+)?")


def _plain_decimal(value: object) -> object:
    """A JSON number as it is; a string only if it holds a decimal number in plain notation."""
    if isinstance(value, str) and not _PLAIN_DECIMAL.fullmatch(value):
        raise ValueError('a number, or a string holding one in plain notation ("16.5")')
    return value


def _json_number(value: Decimal) -> int | float:
    """An integer when it is one, else the float whose shortest text is the decimal's (one decimal at most)."""
    return int(value) if value == value.to_integral_value() else float(value)


# Currents (A) and voltages (V): neither money nor energy, so JSON numbers (16.5) on the wire; a decimal string
# ("16.5") is read too. Read as exact decimals; the domain's rules bound them (positive, at most one decimal).
Quantity = Annotated[
    Decimal,
    BeforeValidator(_plain_decimal),
    PlainSerializer(_json_number, return_type=float, when_used="json"),
    Field(examples=[32]),
]
Phases = Literal[1, 3]
SitePhase = Literal[1, 2, 3]
SecurityProfile = Literal[1, 2, 3]


class PageView(ApiModel, Generic[T]):
    items: list[T]
    next_token: str | None = Field(description="Pass as `nextToken` for the next page; null on the last page")


class ItemsView(ApiModel, Generic[T]):
    """A short list that comes whole (no pages)."""

    items: list[T]


class LocalListSetting(ApiModel):
    enabled: bool | None = Field(
        default=None,
        description="Whether the CSMS keeps the list in sync; a charger's null follows its site (a site's null: false)",
    )


class ChargerRegistration(ApiModel):
    password: str | None = Field(
        default=None,
        min_length=8,
        max_length=40,
        description="HTTP Basic password (OCPP: 16 to 40 characters recommended)",
    )
    tariff_id: str | None = Field(
        default=None, max_length=64, description="The tariff of sessions here (absent: unchanged)"
    )
    site_id: str | None = Field(
        default=None,
        description="The site it draws from (it must exist); null takes it out of its site; absent: unchanged",
    )
    max_current_amps: Quantity | None = Field(
        default=None,
        description="The current each of its connectors (1.6) or EVSEs (2.0.1) can deliver, amps per phase "
        "(absent: unchanged; 32 until set)",
    )
    phases: Phases | None = Field(default=None, description="1 or 3 (absent: unchanged; 3 until set)")
    site_phase: SitePhase | None = Field(
        default=None,
        description="The site phase (1, 2 or 3: L1, L2, L3) a 1-phase charger is wired to, so it loads only that "
        "phase; null: not known (counted on every phase); absent: unchanged. Not for a 3-phase charger",
    )

    security_profile: SecurityProfile | None = Field(
        default=None,
        description="OCPP security profile: 1 or 2 (password or client certificate), 3 (client certificate only); "
        "from the charger's next connection; absent: unchanged",
    )

    local_list: LocalListSetting | None = Field(
        default=None,
        description="Keep its local authorization list in sync (`enabled` null: as its site says); absent: unchanged",
    )

    def wiring_change(self) -> WiringChange | None:
        """What it changes of the charger's site and wiring; None when it names none of them."""
        given = self.model_fields_set & {"site_id", "max_current_amps", "phases", "site_phase"}
        if not given:
            return None
        return WiringChange(
            site_id=self.site_id,
            leaves_site="site_id" in given and self.site_id is None,
            max_current_amps=self.max_current_amps,
            phases=self.phases,
            site_phase=self.site_phase,
            clears_site_phase="site_phase" in given and self.site_phase is None,
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
    tariff_id: str | None = None
    site_id: str | None = Field(default=None, description="The site it draws from (null: none)")
    max_current_amps: Quantity = Field(description="What each connector or EVSE can deliver, amps per phase")
    phases: int = Field(description="1 or 3")
    site_phase: int | None = Field(
        default=None, description="The site phase a 1-phase charger is wired to (null: not known, every phase)"
    )
    security_profile: int = Field(default=2, description="OCPP security profile (never set: 2 with a password, else 1)")

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
            tariff_id=charge_point.tariff_id,
            site_id=charge_point.wiring.site_id,
            max_current_amps=charge_point.wiring.max_current_amps,
            phases=charge_point.wiring.phases,
            site_phase=charge_point.wiring.site_phase,
            security_profile=effective_security_profile(
                charge_point.security_profile, charge_point.password_hash is not None
            ),
        )


class IdTokenRegistration(ApiModel):
    status: IdTokenStatus = IdTokenStatus.ACCEPTED
    expiry: datetime | None = None
    parent_id: str | None = Field(default=None, max_length=36)
    type: IdTokenEnumType | None = Field(
        default=None, description="OCPP 2.0.1 IdTokenEnumType (a local list gives ISO14443 when absent)"
    )
    tariff_id: str | None = Field(
        default=None, max_length=64, description="The tariff of this token's (or group's) sessions"
    )
    charging_priority: int | None = Field(
        default=None,
        strict=True,
        ge=MIN_CHARGING_PRIORITY,
        le=MAX_CHARGING_PRIORITY,
        description="Its sessions' precedence when a site's limit is shared, higher first (absent: its group's, "
        "else 0); for a group, its members' without one",
    )


class IdTokenView(ApiModel):
    id_token: str
    status: IdTokenStatus
    expiry: datetime | None
    parent_id: str | None
    type: str | None
    tariff_id: str | None = None
    charging_priority: int | None = Field(default=None, description="As set (null: its group's, else 0)")

    @classmethod
    def of(cls, token: IdToken) -> "IdTokenView":
        return cls(
            id_token=token.id_token,
            status=token.status,
            expiry=token.expiry,
            parent_id=token.parent_id,
            type=token.token_type,
            tariff_id=token.tariff_id,
            charging_priority=token.charging_priority,
        )


class RecordedErrorView(ApiModel):
    reason: str
    at: datetime

    @classmethod
    def of(cls, error: RecordedError | None) -> "RecordedErrorView | None":
        return cls(reason=error.reason, at=error.at) if error is not None else None


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
    meter_start: DecimalString | None = Field(description="Energy register at the start, Wh")
    meter_stop: DecimalString | None = Field(description="Energy register at the end, Wh")
    energy_wh: DecimalString | None = Field(description="Delivered: meterStop - meterStart, Wh")
    stop_reason: str | None
    closed_by_csms: str | None = Field(
        default=None,
        description="Why the CSMS ended it, no stop having come from the charge point: NewTransaction (another "
        "began on its connector or EVSE) or ConnectorAvailable; a stop that comes later replaces this end",
    )
    billing_error: RecordedErrorView | None = Field(
        default=None, description="Why billing could not price it: it was taken out of billing uninvoiced"
    )
    cost_update_error: RecordedErrorView | None = Field(
        default=None, description="Why the latest cost update (CostUpdated) could not price it"
    )

    @classmethod
    def of(cls, transaction: Transaction) -> "TransactionView":
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
            meter_start=energy_string(transaction.meter_start),
            meter_stop=energy_string(transaction.meter_stop),
            energy_wh=energy_string(transaction.energy_wh),
            stop_reason=transaction.stop_reason,
            closed_by_csms=transaction.closed_by_csms,
            billing_error=RecordedErrorView.of(transaction.billing_error),
            cost_update_error=RecordedErrorView.of(transaction.cost_update_error),
        )


class MeterValueView(ApiModel):
    timestamp: datetime
    sampled_value: list[dict[str, Any]] = Field(description="As the charge point sent them")
    out_of_range: list[int] = Field(
        default_factory=list,
        description="Indexes of the sampled values out of the CSMS's limits: kept, never used for energy or cost",
    )

    @classmethod
    def of(cls, reading: MeterReading) -> "MeterValueView":
        return cls(timestamp=reading.timestamp, sampled_value=reading.sent, out_of_range=out_of_range(reading))


class SessionCostView(ApiModel):
    currency: str
    total: DecimalString = Field(description="Tax included, rounded to the currency's minor unit")
    until: datetime = Field(description="What it counts up to: now for an active session, else its end")

    @classmethod
    def of(cls, cost: "SessionCost") -> "SessionCostView":
        return cls(currency=cost.currency, total=decimal_string(cost.total), until=cost.until)


class TransactionDetail(TransactionView):
    meter_values: list[MeterValueView] = Field(description="Oldest first")
    cost: SessionCostView | None = Field(
        description="What it costs so far by its tariff (an active one: up to now and its latest energy reading); "
        "null without a tariff or when it cannot be priced. The invoice, once issued, is what is billed"
    )

    @classmethod
    def of_recorded(cls, recorded: "RecordedTransaction") -> "TransactionDetail":
        return cls(
            **TransactionView.of(recorded.transaction).model_dump(),
            meter_values=[MeterValueView.of(reading) for reading in recorded.readings],
            cost=SessionCostView.of(recorded.cost) if recorded.cost is not None else None,
        )


class ConfigurationView(ApiModel):
    """A 1.6 configuration key (no component) or a 2.0.1 variable attribute."""

    component: str | None
    component_instance: str | None
    evse_id: int | None
    connector_id: int | None
    variable: str
    variable_instance: str | None
    attribute_type: str
    value: str | None
    mutability: str | None
    reported_at: datetime | None

    @classmethod
    def of(cls, variable: ConfigurationVariable) -> "ConfigurationView":
        return cls(
            component=variable.component,
            component_instance=variable.component_instance,
            evse_id=variable.evse_id,
            connector_id=variable.connector_id,
            variable=variable.variable,
            variable_instance=variable.variable_instance,
            attribute_type=variable.attribute_type,
            value=variable.value,
            mutability=variable.mutability,
            reported_at=variable.reported_at,
        )


class LocalListEntryView(ApiModel):
    id_token: str
    type: str | None = Field(description="2.0.1: the IdTokenEnumType the list carries (null in a 1.6 list)")
    status: IdTokenStatus
    expiry: datetime | None
    parent_id: str | None


class LocalListView(ApiModel):
    enabled: bool = Field(description="Whether the CSMS keeps it in sync (its own setting, else its site's)")
    setting: LocalListSetting = Field(description="The charger's own setting (`enabled` null: its site's)")
    version: int | None = Field(description="Of the list the charger last accepted (null: not known)")
    status: str = Field(description="InSync, Pending, Failed (see `reason`) or Disabled")
    reason: str | None = Field(description="Why it is Pending or Failed")
    entries: list[LocalListEntryView] = Field(
        description="What its list holds once in sync: every id token (1.6: of at most 20 characters), those a "
        "charger must refuse first, then the Accepted ones, as many as it holds"
    )
    held_entries: int = Field(description="How many entries it holds, as it acknowledged them")
    omitted: int = Field(description="Tokens that belong on the list but do not fit the charger")


class ReservationView(ApiModel):
    reservation_id: int
    charger_id: str
    connector_id: int | None
    evse_id: int | None
    id_token: str
    expiry: datetime
    status: ReservationStatus
    transaction_id: str | None
    updated_at: datetime

    @classmethod
    def of(cls, reservation: Reservation) -> "ReservationView":
        return cls(
            reservation_id=reservation.reservation_id,
            charger_id=reservation.charge_point_id,
            connector_id=reservation.connector_id,
            evse_id=reservation.evse_id,
            id_token=reservation.id_token,
            expiry=reservation.expiry,
            status=reservation.status,
            transaction_id=reservation.transaction_id,
            updated_at=reservation.updated_at,
        )


class Health(ApiModel):
    status: str
