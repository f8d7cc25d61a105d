"""What the domain needs from the outside world; adapters implement these, tests fake them."""

from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from typing import Protocol

from csms.domain.charging_needs import ChargingNeeds
from csms.domain.charging_profiles.installed import InstalledProfiles
from csms.domain.configuration_variables import ConfigurationVariable
from csms.domain.filters import ChargePointFilter, TransactionFilter
from csms.domain.meter_series import MeterSeries
from csms.domain.models import (
    BootInfo,
    ChargePoint,
    Connection,
    ConnectorStatus,
    FleetCounts,
    IdToken,
    MeterReading,
    Notification,
    RecordedError,
    Reservation,
    ReservationStatus,
    StartTransactionRequest,
    StoredCredentials,
    Transaction,
)
from csms.domain.pagination import Page
from csms.domain.sites import LiveLimit, Site, StoredSite, WiringChange
from csms.domain.tariffs import Tariff
from csms.wire.versions import OcppVersion


class ConnectionGoneError(Exception):
    """The WebSocket connection no longer exists (API Gateway's GoneException)."""


class SupersededConnectionError(Exception):
    """A connection the charge point opened later is already its current one."""


class ConnectionSender(Protocol):
    def send(self, connection_id: str, frame: str) -> None:
        """Send one text frame; raises `ConnectionGoneError` if the connection is closed."""

    def close(self, connection_id: str) -> None:
        """Close a connection (no error if it is already gone)."""


class ChargePointRepository(Protocol):
    def get(self, charge_point_id: str) -> ChargePoint | None:
        """The profile with its connectors, by EVSE and connector id."""

    def register(
        self,
        charge_point_id: str,
        password_hash: str | None,
        at: datetime,
        tariff_id: str | None = None,
        wiring: WiringChange | None = None,
    ) -> None:
        """Create or update the profile (`updated_at` = `at`); a password hash or tariff id given replaces the
        old one, and `wiring` changes what it names."""

    def get_credentials(self, charge_point_id: str) -> StoredCredentials:
        """(registered?, security profile, password hash) with a single strongly consistent read of the profile."""

    def set_security_profile(self, charge_point_id: str, profile: int) -> None:
        """Store the charge point's security profile (it must be registered)."""

    def sites_of(self, charge_point_ids: Collection[str]) -> dict[str, str]:
        """The site of each charge point that is at one (one absent: at none, or not registered), read as `get`
        reads: the stream function's one read per batch to route session and connector changes to their sites'
        rebalances."""

    def ids_at_site(self, site_id: str) -> list[str]:
        """The ids of the charge points wired to the site, in order; read from an index, so a charge point
        that joined a moment ago may be missing."""

    def profiles_of(self, charge_point_ids: Sequence[str] | None = None) -> list[ChargePoint]:
        """The charge points of `charge_point_ids` that exist (every one when None: read from an index, so one
        that joined a moment ago may be missing), by id, each its profile alone (no connectors): thousands in few
        requests (100 a request), as a campaign's target reads them."""

    def delete(self, charge_point_id: str) -> None:
        """Remove everything kept about the charge point: profile, connectors, configuration, notifications."""

    def next_local_list_version(self, charge_point_id: str) -> int:
        """Atomically number the next local authorization list; raises `LookupError` if unregistered."""

    def list_notifications(self, charge_point_id: str, kind: str, since: datetime) -> list[Notification]:
        """Notifications of one kind received at or after `since`, oldest first."""

    def page_notifications(
        self,
        charge_point_id: str,
        kinds: Sequence[str],
        since: datetime | None,
        limit: int,
        next_token: str | None = None,
    ) -> Page[Notification]:
        """The charge point's notifications of `kinds` received at or after `since`, newest first;
        raises `InvalidPageTokenError`."""

    def latest_notifications(self, kinds: Sequence[str], limit: int) -> list[Notification]:
        """The `limit` newest notifications of `kinds` of every charge point, newest first."""

    def count_fleet(self) -> FleetCounts:
        """How many charge points there are, are connected, and have a connector Faulted."""

    def page(self, where: ChargePointFilter, limit: int, next_token: str | None = None) -> Page[ChargePoint]:
        """Charge points (with their connectors) `where` matches, by id; raises `InvalidPageTokenError`."""

    def record_connected(
        self, charge_point_id: str, connection_id: str, version: OcppVersion, at: datetime
    ) -> str | None:
        """Make `connection_id` current in one conditional write; returns the connection it replaces.

        Connections are ordered by `at` (to the millisecond, then by connection id): a current
        connection opened later wins, and this raises `SupersededConnectionError` instead."""

    def current_connection_id(self, charge_point_id: str) -> str | None:
        """The charge point's current connection, read strongly consistent; None if it has none."""

    def record_disconnected(self, charge_point_id: str, connection_id: str, at: datetime) -> bool:
        """Mark disconnected only if `connection_id` is still current; True if it was."""

    def record_boot(self, charge_point_id: str, boot: BootInfo, at: datetime) -> ChargePoint:
        """One write; the profile as it now stands (without its connectors), which the boot's answer reads."""

    def mark_provisioning_profile(self, charge_point_id: str, present: bool) -> None:
        """Whether the charge point has a provisioning profile of its own (`ChargePoint.provisioning_profile`);
        nothing for one not registered."""

    def record_status(self, charge_point_id: str, status: ConnectorStatus) -> None:
        """One write. Charging sets `last_charging_at`; a vehicle-idle status sets `idle_since` unless
        already set; any other status clears `idle_since`. A status older than the stored one is late and
        changes nothing, except that a late status which is not vehicle-idle clears an `idle_since` not
        after it (a second write): a late status never lengthens the idle time."""

    def get_connector(self, charge_point_id: str, evse_id: int | None, connector_id: int) -> ConnectorStatus | None:
        """The connector's latest status with its idle tracking."""

    def record_seen(self, charge_point_id: str, at: datetime) -> None: ...

    def record_notification(
        self, charge_point_id: str, kind: str, message_id: str, at: datetime, details: dict[str, object]
    ) -> None:
        """Keep a notification (firmware, diagnostics, log, security, report, event) as received."""


class ConnectionRepository(Protocol):
    def put(self, connection: Connection) -> None: ...

    def get(self, connection_id: str) -> Connection | None: ...

    def delete(self, connection_id: str) -> None: ...


class IdTokenRepository(Protocol):
    def get(self, id_token: str) -> IdToken | None: ...

    def put(self, token: IdToken) -> None: ...

    def delete(self, id_token: str) -> bool:
        """Remove a token; False if there was none."""

    def list(self) -> list[IdToken]: ...

    def page(self, limit: int, next_token: str | None = None) -> Page[IdToken]:
        """Up to `limit` tokens, in no particular order; raises `InvalidPageTokenError`."""


class TransactionRepository(Protocol):
    def get(self, charge_point_id: str, transaction_id: str) -> Transaction | None: ...

    def find(self, transaction_id: str) -> list[Transaction]:
        """Transactions with this id on any charge point (2.0.1 ids are unique per charge point)."""

    def list_for_charge_point(self, charge_point_id: str) -> list[Transaction]:
        """Every transaction of the charge point, newest first."""

    def list_showing_running_cost(self) -> list[Transaction]:
        """Active sessions that show their running cost (`Transaction.shows_running_cost`), oldest first."""

    def count_active(self) -> int:
        """How many transactions are active, on every charge point."""

    def list_active_on(self, charge_point_id: str, evse_or_connector_id: int) -> list[Transaction]:
        """Active transactions on an EVSE (2.0.1) or connector (1.6) (`Transaction.evse_or_connector_id`),
        oldest first. One read; a transaction created a moment ago may not be listed yet."""

    def page(self, where: TransactionFilter, limit: int, next_token: str | None = None) -> Page[Transaction]:
        """Transactions `where` matches, newest (latest `started_at`) first; raises `InvalidPageTokenError`."""

    def create_once(self, transaction: Transaction, request: StartTransactionRequest | None = None) -> Transaction:
        """Store a new transaction unless it (or the one `request` started) exists.

        Returns the stored transaction: `transaction` itself when this call stored it, the existing one
        when this is a retry.
        """

    def find_started_by(self, request: StartTransactionRequest) -> Transaction | None:
        """The transaction `request` or an earlier copy of it started; a store may forget requests after a while
        (long after a charge point would resend one)."""

    def next_transaction_id(self) -> int:
        """A new CSMS-assigned integer transaction id (OCPP 1.6)."""

    def complete(self, transaction: Transaction) -> bool:
        """Store the stop of an active (or not yet stored) transaction; False if already completed. The charge
        point's own stop (`closed_by_csms` None) also replaces an end the CSMS inferred, until it is billed."""

    def revise(self, transaction: Transaction) -> bool:
        """Correct a completed transaction not yet billed with what a late event told: its start, meter
        start and stop, id token, EVSE and connector. One conditional write; False once it is billed."""

    def set_id_token(self, charge_point_id: str, transaction_id: str, id_token: str) -> None: ...

    def record_charging_needs(self, charge_point_id: str, transaction_id: str, needs: ChargingNeeds) -> bool:
        """Keep the vehicle's latest needs with an active transaction; False if it is not stored or not active."""

    def record_cost_update_error(self, transaction: Transaction, error: RecordedError) -> bool:
        """Keep why the latest cost update failed on an active transaction; False if it is not active."""

    def record_charging_state(self, charge_point_id: str, transaction_id: str, charging: bool, at: datetime) -> None:
        """Of an active transaction: charging clears `idle_since`; not charging, once it has charged, sets it
        (unless already set). One write; ignored for a transaction not stored or completed. A state older
        than the last one applied is late and changes nothing, except that a late Charging clears an
        `idle_since` not after it (a second write): a late state never lengthens the idle time."""


class TariffRepository(Protocol):
    def get(self, tariff_id: str) -> Tariff | None: ...

    def put(self, tariff: Tariff) -> None: ...

    def page(self, limit: int, next_token: str | None = None) -> Page[Tariff]:
        """Up to `limit` tariffs, in no particular order; raises `InvalidPageTokenError`."""


class SiteRepository(Protocol):
    def get(self, site_id: str) -> StoredSite | None: ...

    def put(self, site: Site, at: datetime) -> StoredSite:
        """Create the site or replace its configuration; a live limit set on it stays."""

    def delete(self, site_id: str) -> bool:
        """Remove the site with its live limit; False if there was none."""

    def set_live_limit(self, site_id: str, live: LiveLimit | None, at: datetime) -> StoredSite | None:
        """Set the site's live limit (None: end it); None if there is no such site (nothing is stored then)."""

    def page(self, limit: int, next_token: str | None = None) -> Page[StoredSite]:
        """Up to `limit` sites, in no particular order; raises `InvalidPageTokenError`."""


class MeterValueRepository(Protocol):
    def put(self, series: MeterSeries, readings: list[MeterReading]) -> None:
        """Store the readings of one message under a key derived from all of its content: a resend
        overwrites itself, a different message (even one stamped alike) is kept beside it."""

    def latest(self, series: MeterSeries, messages: int) -> list[MeterReading]:
        """The readings of the series' `messages` latest messages (by their first reading), oldest first: a read
        bounded however long the series."""

    def list(self, series: MeterSeries) -> list[MeterReading]:
        """Every reading of the series' messages, oldest first."""


class ConfigurationRepository(Protocol):
    def put(self, charge_point_id: str, variables: list[ConfigurationVariable]) -> None:
        """Store reported values; each replaces the stored one of the same identity."""

    def list(self, charge_point_id: str) -> list[ConfigurationVariable]: ...


class ReservationRepository(Protocol):
    def put(self, reservation: Reservation) -> None:
        """Store a reservation, replacing one of the same id (as OCPP's ReserveNow does)."""

    def get(self, charge_point_id: str, reservation_id: int) -> Reservation | None: ...

    def end(
        self,
        charge_point_id: str,
        reservation_id: int,
        status: ReservationStatus,
        at: datetime,
        transaction_id: str | None = None,
    ) -> bool:
        """Move a Reserved reservation to `status`; False if it is unknown or no longer Reserved."""

    def page(
        self,
        limit: int,
        next_token: str | None = None,
        charge_point_id: str | None = None,
        status: ReservationStatus | None = None,
    ) -> Page[Reservation]:
        """Reservations matching the filters; raises `InvalidPageTokenError`."""


class InstalledProfileRepository(Protocol):
    """Each charge point's installed charging profiles, as one set (`csms.domain.charging_profiles`)."""

    def get(self, charge_point_id: str) -> InstalledProfiles:
        """The stored set; an empty one when none is stored."""

    def update(
        self, charge_point_id: str, change: Callable[[InstalledProfiles], InstalledProfiles]
    ) -> InstalledProfiles:
        """Store `change` of the stored set, atomically: when another write came between reading and
        writing, `change` is applied again to the set as it then is. Nothing is written when it changes
        nothing. Returns the set as stored."""


class Clock(Protocol):
    def now(self) -> datetime: ...
