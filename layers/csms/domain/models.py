"""One domain model for OCPP 1.6 and 2.0.1: per-version mapping happens in `csms.ocpp`."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from csms.domain.charging_needs import ChargingNeeds
from csms.domain.sites import ChargerWiring
from csms.domain.tariffs import Tariff
from csms.wire.versions import OcppVersion


class IdTokenStatus(StrEnum):
    """Statuses an operator can give a token; both OCPP versions know all four."""

    ACCEPTED = "Accepted"
    BLOCKED = "Blocked"
    EXPIRED = "Expired"
    INVALID = "Invalid"


class TransactionStatus(StrEnum):
    ACTIVE = "Active"
    COMPLETED = "Completed"


class ReservationStatus(StrEnum):
    """`Reserved` until used, cancelled by the operator, or ended by the charge point."""

    RESERVED = "Reserved"
    USED = "Used"
    CANCELLED = "Cancelled"
    EXPIRED = "Expired"  # 2.0.1 ReservationStatusUpdate
    REMOVED = "Removed"  # 2.0.1 ReservationStatusUpdate


@dataclass(frozen=True)
class ConnectorStatus:
    """Latest status of a connector. `evse_id` is None for OCPP 1.6 (connector 0 = whole charge point).

    OCPP 1.6 idle time is tracked here, since a StatusNotification names no transaction: when the
    connector last reported Charging, and since when it has reported a vehicle plugged in but not
    charging. The repository keeps both; they are not part of a received status.
    """

    connector_id: int
    status: str
    timestamp: datetime
    evse_id: int | None = None
    error_code: str | None = None
    info: str | None = None
    last_charging_at: datetime | None = None
    idle_since: datetime | None = None

    @property
    def evse_or_connector_id(self) -> int:
        """The EVSE (2.0.1) or connector (1.6) the status is of; 0 is the charge point itself."""
        return self.evse_id if self.evse_id is not None else self.connector_id

    @property
    def available(self) -> bool:
        return self.status == CONNECTOR_AVAILABLE

    @property
    def charging(self) -> bool:
        return self.status == CONNECTOR_CHARGING

    @property
    def vehicle_idle(self) -> bool:
        """A vehicle is plugged in but draws no energy (OCPP 1.6 statuses)."""
        return self.status in CONNECTOR_IDLE_STATUSES

    @property
    def faulted(self) -> bool:
        return self.status == CONNECTOR_FAULTED

    @property
    def reports_fault(self) -> bool:
        """Faulted, or an error code other than NoError (OCPP 1.6 reports some with another status)."""
        return self.faulted or self.error_code not in (None, NO_ERROR)

    def idle_since_during(self, started_at: datetime, stopped_at: datetime) -> datetime | None:
        """When a session in [started_at, stopped_at] on this connector went idle, having charged first."""
        if self.idle_since is None or self.last_charging_at is None:
            return None
        if started_at <= self.last_charging_at <= self.idle_since <= stopped_at:
            return self.idle_since
        return None


CONNECTOR_CHARGING = "Charging"
CONNECTOR_AVAILABLE = "Available"  # the same in both versions
CONNECTOR_FAULTED = "Faulted"  # the same in both versions
NO_ERROR = "NoError"  # OCPP 1.6 ChargePointErrorCode
# OCPP 1.6 ChargePointStatus values for "plugged in, not charging" (SuspendedEVSE included: the
# bay stays blocked whoever paused the charge; Finishing only counts before the StopTransaction).
CONNECTOR_IDLE_STATUSES = frozenset({"SuspendedEV", "SuspendedEVSE", "Finishing"})


@dataclass(frozen=True)
class BootInfo:
    vendor: str
    model: str
    serial_number: str | None = None
    firmware_version: str | None = None
    boot_reason: str | None = None


@dataclass(frozen=True)
class StoredCredentials:
    """What a connection is admitted by, read in one strongly consistent read of the charge point's profile."""

    registered: bool
    security_profile: int | None  # None: never set
    password_hash: str | None


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
    # Number of the last local authorization list issued to it (SendLocalList); 0: none yet.
    local_list_version: int = 0
    connectors: list[ConnectorStatus] = field(default_factory=list)
    # The tariff of sessions on this charge point (unless the id token has one).
    tariff_id: str | None = None
    # Its site and what it can draw (load balancing).
    wiring: ChargerWiring = field(default_factory=ChargerWiring)
    # When the operator last registered or updated it.
    updated_at: datetime | None = None
    # OCPP security profile (1, 2 or 3) as the operator set it or an upgrade recorded it; None: never set
    # (`csms.domain.security_profiles.effective_security_profile`).
    security_profile: int | None = None
    # It has a provisioning profile of its own (`csms.commands.provisioning`): its BootNotification reads it.
    provisioning_profile: bool = False


@dataclass(frozen=True)
class SentNotification:
    """A notification as a charge point sent it (FirmwareStatusNotification, ...), to be kept as it is."""

    kind: str
    message_id: str
    details: dict[str, object]


@dataclass(frozen=True)
class Notification:
    """A notification a charge point sent (FirmwareStatusNotification, ...), as it was sent."""

    charge_point_id: str
    kind: str
    message_id: str
    received_at: datetime
    details: dict[str, object]


@dataclass(frozen=True)
class FleetCounts:
    """Charge points known (registered or connected once), connected now, and with a connector Faulted."""

    total: int
    connected: int
    faulted: int


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
    # The tariff of this token's sessions (and, for a group, of its members' without one).
    tariff_id: str | None = None
    # Its sessions' share of a site's limit, higher first (and, for a group, its members' without one).
    charging_priority: int | None = None


@dataclass(frozen=True)
class Authorization:
    """The answer to "may this token charge?", the same for Authorize and transactions."""

    status: IdTokenStatus
    expiry: datetime | None = None
    parent_id: str | None = None


# What a sampled value measures when it does not say: the same in both versions.
ENERGY_REGISTER = "Energy.Active.Import.Register"


@dataclass(frozen=True)
class SampledValue:
    """One sampled value: what the CSMS reads of it, and the value exactly as the charge point sent it.

    The per-version mappers (`csms.ocpp`) decide both: the API shows `sent`, the domain reads the rest.
    """

    sent: dict[str, object]
    value: Decimal | None  # None: not a number (signed data, say)
    measurand: str = ENERGY_REGISTER
    phase: str | None = None
    unit: str = "Wh"
    multiplier: int = 0  # the value is `value` x 10^multiplier `unit`


@dataclass(frozen=True)
class MeterReading:
    """One MeterValue entry: its sampled values, taken at `timestamp`."""

    timestamp: datetime
    sampled_values: tuple[SampledValue, ...]

    @property
    def sent(self) -> list[dict[str, object]]:
        """The sampled values exactly as the charge point sent them."""
        return [sampled_value.sent for sampled_value in self.sampled_values]


@dataclass(frozen=True)
class RecordedError:
    """Why the CSMS could not process a transaction (billing it, updating its cost), and when."""

    reason: str
    at: datetime


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
    # A copy of the tariff in force when the session started; None: no tariff applied.
    tariff: Tariff | None = None
    # 2.0.1 chargingState: whether energy flowed yet, and since when it has not (plugged in, idle).
    has_charged: bool = False
    idle_since: datetime | None = None
    # Set when the CSMS ended it for lack of a stop from the charge point (`csms.domain.session_ends`):
    # what showed it was over. The charge point's own stop, if it comes, replaces that end.
    closed_by_csms: str | None = None
    # Billing could not price it: taken out of the billing queue uninvoiced.
    billing_error: RecordedError | None = None
    # The latest cost update run could not price it.
    cost_update_error: RecordedError | None = None
    # 2.0.1: what the vehicle asked for last (NotifyEVChargingNeeds), for the site's allocation.
    charging_needs: ChargingNeeds | None = None

    @property
    def shows_running_cost(self) -> bool:
        """An active OCPP 2.0.1 session priced by a tariff: its charge point is sent the cost so far."""
        return (
            self.status is TransactionStatus.ACTIVE
            and self.ocpp_version is OcppVersion.V201
            and self.tariff is not None
        )

    @property
    def awaits_stop(self) -> bool:
        """The charge point's stop (StopTransaction, TransactionEvent Ended) would still end it."""
        return self.status is TransactionStatus.ACTIVE or self.closed_by_csms is not None

    @property
    def evse_or_connector_id(self) -> int | None:
        """Where it runs: the EVSE (2.0.1) or the connector (1.6)."""
        return self.evse_id if self.evse_id is not None else self.connector_id

    @property
    def idle_tracked_on_connector(self) -> bool:
        """OCPP 1.6 tracks idle time on the connector, as a StatusNotification names no transaction."""
        return self.ocpp_version is OcppVersion.V16

    @property
    def energy_wh(self) -> Decimal | None:
        if self.meter_start is None or self.meter_stop is None:
            return None
        return max(self.meter_stop - self.meter_start, Decimal(0))


@dataclass(frozen=True)
class StartTransactionRequest:
    """An OCPP 1.6 StartTransaction as the charge point sent it: a resend of it starts no second transaction."""

    charge_point_id: str
    connector_id: int
    id_token: str
    meter_start: int  # Wh
    timestamp: datetime


@dataclass(frozen=True)
class Reservation:
    """A connector (1.6) or EVSE (2.0.1) held for one id token until `expiry`."""

    charge_point_id: str
    reservation_id: int
    id_token: str
    expiry: datetime
    status: ReservationStatus
    updated_at: datetime
    connector_id: int | None = None
    evse_id: int | None = None
    transaction_id: str | None = None  # the transaction that used it
