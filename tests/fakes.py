"""In-memory stand-ins for the domain's ports, for unit tests of the domain."""

import hashlib
import json
from collections.abc import Callable, Collection, Iterable, Sequence
from copy import deepcopy
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Generic, TypeVar

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from csms.adapters.dynamodb.revisions import MAX_ATTEMPTS, ConcurrentUpdateError
from csms.billing.invoices import Invoice, InvoiceFilter
from csms.billing.totals import BilledTotals, periods_of
from csms.campaigns.models import Campaign, CampaignCharger, CampaignStatus, ChargerState
from csms.commands.models import CallAnswer, Command, CommandError, CommandStatus, PendingCall, QueueHead, Waiter
from csms.composition import Repositories
from csms.domain.charging_needs import ChargingNeeds
from csms.domain.charging_profiles.installed import InstalledProfiles
from csms.domain.configuration_variables import ConfigurationVariable
from csms.domain.file_store import StoredFile
from csms.domain.filters import ChargePointFilter, TransactionFilter
from csms.domain.local_lists import LocalListState
from csms.domain.log_uploads import ConcurrentUploadChangeError, LogUpload
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
    TransactionStatus,
)
from csms.domain.pagination import Page, page_of
from csms.domain.ports import ConnectionGoneError, SupersededConnectionError
from csms.domain.provisioning import ChargerProvisioning
from csms.domain.security_events import SecurityEvent, SecurityEventFilter
from csms.domain.short_links import ShortLink
from csms.domain.sites import LiveLimit, Site, StoredSite, WiringChange
from csms.domain.tariffs import Tariff
from csms.domain_events.schemas import DomainEvent
from csms.firmware.models import FirmwareImage
from csms.pki.installed import InstalledCertificates
from csms.pki.models import CaCertificate, CertificateRecord, CertificateStatus
from csms.pki.profile_upgrades import ProfileUpgrade
from csms.rebalancing.models import SiteAllocation
from csms.timeutil import format_timestamp
from csms.users.directory import DirectoryUser, UnknownUserError
from csms.wire.versions import OcppVersion


class FixedClock:
    def __init__(self, now: datetime | None = None) -> None:
        self.current = now or datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@dataclass
class RecordingSender:
    """Collects frames per connection; connections in `gone` raise like API Gateway's 410."""

    sent: list[tuple[str, str]] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    gone: set[str] = field(default_factory=set)

    def send(self, connection_id: str, frame: str) -> None:
        if connection_id in self.gone:
            raise ConnectionGoneError(connection_id)
        self.sent.append((connection_id, frame))

    def close(self, connection_id: str) -> None:
        self.closed.append(connection_id)


class InMemoryChargePoints:
    def __init__(self) -> None:
        self.profiles: dict[str, ChargePoint] = {}
        self.notifications: list[tuple[str, str, str, dict[str, object]]] = []
        self.received: dict[str, list[Notification]] = {}
        # Latest status per (EVSE, connector), apart from the profile as in DynamoDB: a status makes no profile.
        self.connectors: dict[str, dict[tuple[int | None, int], ConnectorStatus]] = {}
        # Reported configuration, kept by `InMemoryConfiguration` (in DynamoDB: in the charge point's partition).
        self.variables: dict[str, dict[tuple[object, ...], ConfigurationVariable]] = {}
        # Installed charging profiles with their revision, kept by `InMemoryInstalledProfiles` (likewise).
        self.installed_profiles: dict[str, tuple[int, InstalledProfiles]] = {}
        # Installed certificates with their revision, kept by `InMemoryInstalledCertificates` (likewise).
        self.installed_certificates: dict[str, tuple[int, InstalledCertificates]] = {}
        # A password being rotated in: its hash, kept by `InMemoryPendingPasswords` (likewise).
        self.pending_passwords: dict[str, str] = {}
        # Provisioning profiles and states with their revision, kept by `InMemoryProvisioning` (likewise).
        self.provisioning: dict[str, tuple[int, ChargerProvisioning]] = {}
        # The local list sync record with its revision, kept by `InMemoryLocalLists` (likewise).
        self.local_lists: dict[str, tuple[int, LocalListState]] = {}
        # Log uploads by id, kept by `InMemoryLogUploads` (deleted with the charge point, as in its partition).
        self.log_uploads: dict[str, dict[str, LogUpload]] = {}
        # The security profile upgrade with its revision, kept by `InMemoryProfileUpgrades` (likewise).
        self.profile_upgrades: dict[str, tuple[int, ProfileUpgrade]] = {}
        self.writes = 0
        # Per charge point: when its current connection opened (to the millisecond, as stored) and its id.
        self.connection_order: dict[str, tuple[str, str]] = {}

    def _profile(self, charge_point_id: str) -> ChargePoint:
        self.writes += 1
        return self.profiles.setdefault(charge_point_id, ChargePoint(charge_point_id))

    def get(self, charge_point_id: str) -> ChargePoint | None:
        return self._read(charge_point_id) if charge_point_id in self.profiles else None

    def profiles_of(self, charge_point_ids: Sequence[str] | None = None) -> list[ChargePoint]:
        wanted = self.profiles if charge_point_ids is None else set(charge_point_ids)
        return [replace(self.profiles[cid], connectors=[]) for cid in sorted(wanted) if cid in self.profiles]

    def _read(self, charge_point_id: str) -> ChargePoint:
        """A copy, as a read from DynamoDB is (later writes do not change it, nor it the stored one), with
        the connectors by EVSE and connector."""
        connectors = self.connectors.get(charge_point_id, {}).values()
        return replace(
            self.profiles[charge_point_id],
            connectors=sorted(connectors, key=lambda c: (c.evse_id or 0, c.connector_id)),
        )

    def register(
        self,
        charge_point_id: str,
        password_hash: str | None,
        at: datetime,
        tariff_id: str | None = None,
        wiring: WiringChange | None = None,
    ) -> None:
        profile = self._profile(charge_point_id)
        profile.registered_at = profile.registered_at or at
        profile.updated_at = at
        if password_hash is not None:
            profile.password_hash = password_hash
        if tariff_id is not None:
            profile.tariff_id = tariff_id
        if wiring is not None:
            profile.wiring = wiring.applied_to(profile.wiring)

    def get_credentials(self, charge_point_id: str) -> StoredCredentials:
        profile = self.profiles.get(charge_point_id)
        if profile is None:
            return StoredCredentials(registered=False, security_profile=None, password_hash=None)
        return StoredCredentials(True, profile.security_profile, profile.password_hash)

    def set_security_profile(self, charge_point_id: str, profile: int) -> None:
        self._profile(charge_point_id).security_profile = profile

    def sites_of(self, charge_point_ids: Collection[str]) -> dict[str, str]:
        located = {cid: self.profiles[cid].wiring.site_id for cid in charge_point_ids if cid in self.profiles}
        return {cid: site_id for cid, site_id in located.items() if site_id}

    def ids_at_site(self, site_id: str) -> list[str]:
        return sorted(cp_id for cp_id, profile in self.profiles.items() if profile.wiring.site_id == site_id)

    def list_notifications(self, charge_point_id: str, kind: str, since: datetime) -> list[Notification]:
        received = [n for n in self.received.get(charge_point_id, []) if n.kind == kind and n.received_at >= since]
        return sorted(received, key=lambda n: n.received_at)

    def page_notifications(
        self,
        charge_point_id: str,
        kinds: Sequence[str],
        since: datetime | None,
        limit: int,
        next_token: str | None = None,
    ) -> Page[Notification]:
        found = _newest_first(
            n
            for n in self.received.get(charge_point_id, [])
            if n.kind in kinds and (since is None or n.received_at >= since)
        )
        return page_of(found, limit, next_token, f"notifications of {charge_point_id} {sorted(kinds)} {since}")

    def latest_notifications(self, kinds: Sequence[str], limit: int) -> list[Notification]:
        return _newest_first(n for received in self.received.values() for n in received if n.kind in kinds)[:limit]

    def count_fleet(self) -> FleetCounts:
        faulted = {
            charge_point_id
            for charge_point_id, connectors in self.connectors.items()
            if any(connector.faulted for connector in connectors.values())
        }
        return FleetCounts(
            total=len(self.profiles),
            connected=sum(profile.connected for profile in self.profiles.values()),
            faulted=len(faulted),
        )

    def delete(self, charge_point_id: str) -> None:
        self.profiles.pop(charge_point_id, None)
        self.received.pop(charge_point_id, None)
        self.variables.pop(charge_point_id, None)
        self.installed_profiles.pop(charge_point_id, None)
        self.installed_certificates.pop(charge_point_id, None)
        self.pending_passwords.pop(charge_point_id, None)
        self.provisioning.pop(charge_point_id, None)
        self.local_lists.pop(charge_point_id, None)
        self.log_uploads.pop(charge_point_id, None)
        self.profile_upgrades.pop(charge_point_id, None)
        self.connectors.pop(charge_point_id, None)
        self.connection_order.pop(charge_point_id, None)

    def next_local_list_version(self, charge_point_id: str) -> int:
        profile = self.profiles.get(charge_point_id)
        if profile is None:
            raise LookupError(charge_point_id)
        profile.local_list_version += 1
        return profile.local_list_version

    def list(self) -> list[ChargePoint]:
        return [self._read(charge_point_id) for charge_point_id in self.profiles]

    def page(self, where: ChargePointFilter, limit: int, next_token: str | None = None) -> Page[ChargePoint]:
        by_id = sorted((cp for cp in self.list() if where.matches(cp)), key=lambda cp: cp.charge_point_id)
        return page_of(by_id, limit, next_token, f"charge points {where}")

    def record_connected(
        self, charge_point_id: str, connection_id: str, version: OcppVersion, at: datetime
    ) -> str | None:
        order = (format_timestamp(at), connection_id)
        if self.current_connection_id(charge_point_id) is not None and self.connection_order[charge_point_id] >= order:
            raise SupersededConnectionError(charge_point_id)
        profile = self._profile(charge_point_id)
        previous = profile.connection_id
        profile.connection_id, profile.connected, profile.ocpp_version, profile.last_seen = (
            connection_id,
            True,
            version,
            at,
        )
        self.connection_order[charge_point_id] = order
        return previous

    def current_connection_id(self, charge_point_id: str) -> str | None:
        profile = self.profiles.get(charge_point_id)
        return profile.connection_id if profile else None

    def record_disconnected(self, charge_point_id: str, connection_id: str, at: datetime) -> bool:
        profile = self.profiles.get(charge_point_id)
        if profile is None or profile.connection_id != connection_id:
            return False
        profile.connection_id, profile.connected, profile.last_seen = None, False, at
        self.writes += 1
        return True

    def record_boot(self, charge_point_id: str, boot: BootInfo, at: datetime) -> ChargePoint:
        profile = self._profile(charge_point_id)
        profile.vendor, profile.model, profile.serial_number, profile.firmware_version = (
            boot.vendor,
            boot.model,
            boot.serial_number,
            boot.firmware_version,
        )
        profile.last_boot = profile.last_seen = at
        return replace(profile, connectors=[])

    def mark_provisioning_profile(self, charge_point_id: str, present: bool) -> None:
        if charge_point_id in self.profiles:
            self._profile(charge_point_id).provisioning_profile = present

    def record_status(self, charge_point_id: str, status: ConnectorStatus) -> None:
        self.writes += 1
        connectors = self.connectors.setdefault(charge_point_id, {})
        previous = connectors.get((status.evse_id, status.connector_id))
        if previous is not None and previous.timestamp > status.timestamp:  # late: only ends an earlier idle period
            if status.vehicle_idle or previous.idle_since is None or previous.idle_since > status.timestamp:
                return
            status = replace(previous, idle_since=None)
        elif status.charging:
            status = replace(status, last_charging_at=status.timestamp, idle_since=None)
        else:
            last_charging_at = previous.last_charging_at if previous else None
            idle_since = (previous.idle_since if previous else None) or status.timestamp
            status = replace(
                status, last_charging_at=last_charging_at, idle_since=idle_since if status.vehicle_idle else None
            )
        connectors[(status.evse_id, status.connector_id)] = status

    def get_connector(self, charge_point_id: str, evse_id: int | None, connector_id: int) -> ConnectorStatus | None:
        return self.connectors.get(charge_point_id, {}).get((evse_id, connector_id))

    def record_seen(self, charge_point_id: str, at: datetime) -> None:
        self._profile(charge_point_id).last_seen = at

    def record_notification(
        self, charge_point_id: str, kind: str, message_id: str, at: datetime, details: dict[str, object]
    ) -> None:
        self.writes += 1
        self.notifications.append((charge_point_id, kind, message_id, details))
        self.received.setdefault(charge_point_id, []).append(
            Notification(charge_point_id, kind, message_id, at, details)
        )


def _newest_first(notifications: Iterable[Notification]) -> list[Notification]:
    """As DynamoDB orders a kind's: by receipt time, then message id."""
    return sorted(notifications, key=lambda n: (n.received_at, n.message_id), reverse=True)


class InMemoryConnections:
    def __init__(self) -> None:
        self.connections: dict[str, Connection] = {}

    def put(self, connection: Connection) -> None:
        self.connections[connection.connection_id] = connection

    def get(self, connection_id: str) -> Connection | None:
        return self.connections.get(connection_id)

    def delete(self, connection_id: str) -> None:
        self.connections.pop(connection_id, None)


class InMemoryIdTokens:
    def __init__(self, *tokens: IdToken) -> None:
        self.tokens = {token.id_token: token for token in tokens}

    def get(self, id_token: str) -> IdToken | None:
        return self.tokens.get(id_token)

    def put(self, token: IdToken) -> None:
        self.tokens[token.id_token] = token

    def delete(self, id_token: str) -> bool:
        return self.tokens.pop(id_token, None) is not None

    def list(self) -> list[IdToken]:
        return list(self.tokens.values())

    def page(self, limit: int, next_token: str | None = None) -> Page[IdToken]:
        return page_of(self.list(), limit, next_token, "id tokens")


class InMemoryTariffs:
    def __init__(self, *tariffs: Tariff) -> None:
        self.tariffs = {tariff.tariff_id: tariff for tariff in tariffs}

    def get(self, tariff_id: str) -> Tariff | None:
        return self.tariffs.get(tariff_id)

    def put(self, tariff: Tariff) -> None:
        self.tariffs[tariff.tariff_id] = tariff

    def page(self, limit: int, next_token: str | None = None) -> Page[Tariff]:
        return page_of(sorted(self.tariffs.values(), key=lambda tariff: tariff.tariff_id), limit, next_token, "tariffs")


class InMemorySites:
    def __init__(self) -> None:
        self.sites: dict[str, StoredSite] = {}

    def get(self, site_id: str) -> StoredSite | None:
        return self.sites.get(site_id)

    def put(self, site: Site, at: datetime) -> StoredSite:
        live = self.sites[site.site_id].live_limit if site.site_id in self.sites else None
        stored = self.sites[site.site_id] = StoredSite(site, live, at)
        return stored

    def delete(self, site_id: str) -> bool:
        return self.sites.pop(site_id, None) is not None

    def set_live_limit(self, site_id: str, live: LiveLimit | None, at: datetime) -> StoredSite | None:
        if site_id not in self.sites:
            return None
        stored = self.sites[site_id] = replace(self.sites[site_id], live_limit=live, updated_at=at)
        return stored

    def page(self, limit: int, next_token: str | None = None) -> Page[StoredSite]:
        return page_of([self.sites[site_id] for site_id in sorted(self.sites)], limit, next_token, "sites")


class InMemoryInvoices:
    """Invoices over the in-memory transactions: completed ones are queued until issued or skipped."""

    def __init__(self, transactions: "InMemoryTransactions") -> None:
        # A function, not the repository: `vars()` snapshots (tests.unit.stations) copy it as is.
        self._stored: Callable[[], dict[tuple[str, str], Transaction]] = lambda: transactions.transactions
        self.invoices: dict[str, Invoice] = {}
        self.dequeued = transactions.dequeued
        self.billed: dict[str, BilledTotals] = {}

    def pending(self) -> list[Transaction]:
        return [transaction for key, transaction in self._stored().items() if self._queued(key)]

    def issue(self, invoice: Invoice, transaction: Transaction) -> bool:
        key = (transaction.charge_point_id, transaction.transaction_id)
        if not self._queued(key) or invoice.invoice_id in self.invoices:
            return False
        self.invoices[invoice.invoice_id] = invoice
        self.dequeued[key] = invoice.invoice_id
        self._add(transaction, {invoice.currency: invoice.total})
        return True

    def skip(self, transaction: Transaction, reason: str) -> bool:
        key = (transaction.charge_point_id, transaction.transaction_id)
        if not self._queued(key):
            return False
        self.dequeued[key] = reason
        self._add(transaction, {})
        return True

    def _add(self, transaction: Transaction, revenue: dict[str, Decimal]) -> None:
        for period in periods_of(transaction):
            totals = self.billed.get(period, BilledTotals())
            summed = dict(totals.revenue)
            for currency, amount in revenue.items():
                summed[currency] = summed.get(currency, Decimal(0)) + amount
            self.billed[period] = BilledTotals(totals.energy_wh + (transaction.energy_wh or 0), summed)

    def totals(self, period: str) -> BilledTotals:
        return self.billed.get(period, BilledTotals())

    def fail(self, transaction: Transaction, error: RecordedError) -> bool:
        key = (transaction.charge_point_id, transaction.transaction_id)
        if not self.skip(transaction, error.reason):
            return False
        self._stored()[key] = replace(self._stored()[key], billing_error=error)
        return True

    def _queued(self, key: tuple[str, str]) -> bool:
        stored = self._stored().get(key)
        return stored is not None and stored.status is TransactionStatus.COMPLETED and key not in self.dequeued

    def get(self, invoice_id: str) -> Invoice | None:
        return self.invoices.get(invoice_id)

    def page(self, where: InvoiceFilter, limit: int, next_token: str | None = None) -> Page[Invoice]:
        return page_of(self.list(where), limit, next_token, f"invoices {where}")

    def list(self, where: InvoiceFilter) -> list[Invoice]:
        return sorted(
            (
                invoice
                for invoice in self.invoices.values()
                if where.transaction_id in (None, invoice.transaction_id)
                and where.charge_point_id in (None, invoice.charge_point_id)
                and where.id_token in (None, invoice.id_token)
                and (where.issued_from is None or invoice.issued_at >= where.issued_from)
                and (where.issued_to is None or invoice.issued_at < where.issued_to)
            ),
            key=lambda invoice: invoice.issued_at,
        )


class InMemoryTransactions:
    def __init__(self) -> None:
        self.transactions: dict[tuple[str, str], Transaction] = {}
        self.started_by: dict[StartTransactionRequest, tuple[str, str]] = {}
        self.sequence = 0
        # Taken out of the billing queue, by `InMemoryInvoices` (in DynamoDB: on the transaction's item).
        self.dequeued: dict[tuple[str, str], str] = {}
        # The time of the last charging state applied to each transaction (DynamoDB: `chargingStateAt`).
        self.charging_state_at: dict[tuple[str, str], datetime] = {}

    def get(self, charge_point_id: str, transaction_id: str) -> Transaction | None:
        return self.transactions.get((charge_point_id, transaction_id))

    def find(self, transaction_id: str) -> list[Transaction]:
        return [t for (_, tx_id), t in self.transactions.items() if tx_id == transaction_id]

    def list_for_charge_point(self, charge_point_id: str) -> list[Transaction]:
        mine = [t for (cp, _), t in self.transactions.items() if cp == charge_point_id]
        return sorted(mine, key=lambda t: t.started_at, reverse=True)

    def list_showing_running_cost(self) -> list[Transaction]:
        running = [t for t in self.transactions.values() if t.shows_running_cost]
        return sorted(running, key=lambda t: t.started_at)

    def count_active(self) -> int:
        return sum(t.status is TransactionStatus.ACTIVE for t in self.transactions.values())

    def list_active_on(self, charge_point_id: str, evse_or_connector_id: int) -> list[Transaction]:
        active = [
            t
            for (cp, _), t in self.transactions.items()
            if cp == charge_point_id
            and t.status is TransactionStatus.ACTIVE
            and t.evse_or_connector_id == evse_or_connector_id
        ]
        return sorted(active, key=lambda t: t.started_at)

    def list(self) -> list[Transaction]:
        return list(self.transactions.values())

    def page(self, where: TransactionFilter, limit: int, next_token: str | None = None) -> Page[Transaction]:
        matching = [t for t in self.transactions.values() if where.matches(t)]
        newest_first = sorted(matching, key=lambda t: t.started_at, reverse=True)
        return page_of(newest_first, limit, next_token, f"transactions {where}")

    def create_once(self, transaction: Transaction, request: StartTransactionRequest | None = None) -> Transaction:
        if request in self.started_by:
            return self.transactions[self.started_by[request]]
        key = (transaction.charge_point_id, transaction.transaction_id)
        if key in self.transactions:
            return self.transactions[key]
        self.transactions[key] = transaction
        if request is not None:
            self.started_by[request] = key
        return transaction

    def find_started_by(self, request: StartTransactionRequest) -> Transaction | None:
        key = self.started_by.get(request)
        return self.transactions[key] if key else None

    def next_transaction_id(self) -> int:
        self.sequence += 1
        return self.sequence

    def complete(self, transaction: Transaction) -> bool:
        key = (transaction.charge_point_id, transaction.transaction_id)
        existing = self.transactions.get(key)
        replaces_inferred_end = (
            transaction.closed_by_csms is None
            and existing is not None
            and existing.closed_by_csms is not None
            and key not in self.dequeued
        )
        if existing is not None and existing.status is TransactionStatus.COMPLETED and not replaces_inferred_end:
            return False
        self.transactions[key] = transaction
        return True

    def revise(self, transaction: Transaction) -> bool:
        key = (transaction.charge_point_id, transaction.transaction_id)
        existing = self.transactions.get(key)
        if existing is None or existing.status is not TransactionStatus.COMPLETED or key in self.dequeued:
            return False
        self.transactions[key] = replace(
            existing,
            started_at=transaction.started_at,
            meter_start=transaction.meter_start,
            meter_stop=transaction.meter_stop,
            id_token=transaction.id_token,
            evse_id=transaction.evse_id,
            connector_id=transaction.connector_id,
        )
        return True

    def record_cost_update_error(self, transaction: Transaction, error: RecordedError) -> bool:
        key = (transaction.charge_point_id, transaction.transaction_id)
        existing = self.transactions.get(key)
        if existing is None or existing.status is not TransactionStatus.ACTIVE:
            return False
        self.transactions[key] = replace(existing, cost_update_error=error)
        return True

    def record_charging_needs(self, charge_point_id: str, transaction_id: str, needs: ChargingNeeds) -> bool:
        key = (charge_point_id, transaction_id)
        existing = self.transactions.get(key)
        if existing is None or existing.status is not TransactionStatus.ACTIVE:
            return False
        self.transactions[key] = replace(existing, charging_needs=needs)
        return True

    def set_id_token(self, charge_point_id: str, transaction_id: str, id_token: str) -> None:
        key = (charge_point_id, transaction_id)
        existing = self.transactions.get(key)
        if existing is not None and existing.id_token is None:
            self.transactions[key] = replace(existing, id_token=id_token)

    def record_charging_state(self, charge_point_id: str, transaction_id: str, charging: bool, at: datetime) -> None:
        key = (charge_point_id, transaction_id)
        existing = self.transactions.get(key)
        if existing is None or existing.status is not TransactionStatus.ACTIVE:
            return
        last_applied = self.charging_state_at.get(key)
        if last_applied is not None and at < last_applied:  # late: only a Charging ends an earlier idle period
            if charging and (existing.idle_since is None or existing.idle_since <= at):
                self.transactions[key] = replace(existing, has_charged=True, idle_since=None)
            return
        if charging:
            self.transactions[key] = replace(existing, has_charged=True, idle_since=None)
        elif existing.has_charged:
            self.transactions[key] = replace(existing, idle_since=existing.idle_since or at)
        else:
            return
        self.charging_state_at[key] = at


class InMemoryMeterValues:
    def __init__(self) -> None:
        self.series: dict[MeterSeries, dict[str, list[MeterReading]]] = {}

    def put(self, series: MeterSeries, readings: list[MeterReading]) -> None:
        """Keyed by the message's whole content, as in DynamoDB: only a resend lands on the same key."""
        content = json.dumps([[format_timestamp(r.timestamp), r.sent] for r in readings], sort_keys=True)
        self.series.setdefault(series, {})[content] = readings

    def latest(self, series: MeterSeries, messages: int) -> list[MeterReading]:
        batches = sorted(self.series.get(series, {}).values(), key=lambda batch: min(r.timestamp for r in batch))
        readings = [r for batch in batches[-messages:] for r in batch]
        return sorted(readings, key=lambda reading: reading.timestamp)

    def list(self, series: MeterSeries) -> list[MeterReading]:
        readings = [r for batch in self.series.get(series, {}).values() for r in batch]
        return sorted(readings, key=lambda reading: reading.timestamp)


class InMemoryCalls:
    def __init__(self) -> None:
        self.pending: dict[tuple[str, str], PendingCall] = {}
        self.answers: dict[tuple[str, str], dict[str, object]] = {}

    def put_pending(self, call: PendingCall) -> None:
        self.pending[(call.charge_point_id, call.message_id)] = call

    def claim_answer(
        self,
        charge_point_id: str,
        message_id: str,
        at: datetime,
        payload: dict[str, object] | None = None,
        error: dict[str, object] | None = None,
    ) -> PendingCall | None:
        key = (charge_point_id, message_id)
        if key not in self.pending or key in self.answers:
            return None
        self.answers[key] = {"payload": payload, "error": error, "at": at}
        return self.pending[key]

    def answer(self, charge_point_id: str, message_id: str) -> CallAnswer | None:
        answer = self.answers.get((charge_point_id, message_id))
        if answer is None:
            return None
        error: Any = answer["error"]
        return CallAnswer(
            answered_at=answer["at"],  # type: ignore[arg-type]
            response=answer["payload"],  # type: ignore[arg-type]
            error=CommandError(error["errorCode"], error["errorDescription"]) if error else None,
        )


class InMemoryCommandQueues:
    """The command queue of each charge point: its head, and a waiter per ticket."""

    def __init__(self) -> None:
        self.heads: dict[str, QueueHead] = {}
        self.waiters: dict[tuple[str, int], Waiter] = {}

    def take_ticket(self, charge_point_id: str, command_id: str, at: datetime, limit: int) -> int | None:
        head = self.head(charge_point_id)
        if head.last_ticket - head.serving + 1 >= limit:
            return None
        ticket = head.last_ticket + 1
        self.heads[charge_point_id] = replace(head, last_ticket=ticket, last_issued_at=at)
        self.waiters[(charge_point_id, ticket)] = Waiter(ticket, seen_at=at)
        return ticket

    def head(self, charge_point_id: str) -> QueueHead:
        return self.heads.get(charge_point_id, QueueHead())

    def waiter(self, charge_point_id: str, ticket: int) -> Waiter | None:
        return self.waiters.get((charge_point_id, ticket))

    def park(self, charge_point_id: str, ticket: int, task_token: str, hold_seconds: int, at: datetime) -> int | None:
        waiter = self.waiters.get((charge_point_id, ticket), Waiter(ticket))
        if waiter.left:
            return None
        parked = replace(waiter, seen_at=at, park=waiter.park + 1, task_token=task_token, hold_seconds=hold_seconds)
        self.waiters[(charge_point_id, ticket)] = parked
        return parked.park

    def leave(self, charge_point_id: str, ticket: int) -> None:
        waiter = self.waiters.get((charge_point_id, ticket), Waiter(ticket))
        self.waiters[(charge_point_id, ticket)] = replace(waiter, left=True)

    def rejoin(self, charge_point_id: str, ticket: int, at: datetime) -> bool:
        waiter = self.waiters.get((charge_point_id, ticket), Waiter(ticket))
        if waiter.left:
            return False
        self.waiters[(charge_point_id, ticket)] = replace(waiter, seen_at=at, task_token=None)
        return True

    def release(self, charge_point_id: str, ticket: int) -> bool:
        head = self.head(charge_point_id)
        if head.serving != ticket or head.granted_park is None:
            return False
        self.heads[charge_point_id] = replace(head, granted_park=None, lease_until=None)
        return True

    def grant(self, charge_point_id: str, ticket: int, park: int, lease_until: datetime) -> bool:
        head = self.head(charge_point_id)
        if head.serving != ticket or head.granted_park is not None:
            return False
        self.heads[charge_point_id] = replace(head, granted_park=park, lease_until=lease_until)
        return True

    def advance(self, charge_point_id: str, ticket: int, held: bool) -> bool:
        head = self.head(charge_point_id)
        if head.serving != ticket or (head.granted_park is not None) != held:
            return False
        self.heads[charge_point_id] = replace(head, serving=ticket + 1, granted_park=None, lease_until=None)
        return True


class InMemoryCommands:
    def __init__(self) -> None:
        self.commands: dict[str, Command] = {}

    def create(self, command: Command) -> None:
        self.commands[command.command_id] = replace(command)

    def get(self, command_id: str) -> Command | None:
        command = self.commands.get(command_id)
        return replace(command) if command else None

    def list_for_charge_point(self, charge_point_id: str, limit: int, next_token: str | None = None) -> Page[Command]:
        mine = [c for c in self.commands.values() if c.charge_point_id == charge_point_id]
        newest_first = sorted(mine, key=lambda c: c.created_at, reverse=True)
        return page_of(newest_first, limit, next_token, f"commands of {charge_point_id}")

    def list_all(self, limit: int, next_token: str | None = None) -> Page[Command]:
        newest_first = sorted(self.commands.values(), key=lambda c: c.created_at, reverse=True)
        return page_of([replace(c) for c in newest_first], limit, next_token, "commands")

    def list_unfinished(self) -> list[Command]:
        unfinished = [replace(c) for c in self.commands.values() if c.finished_at is None]
        return sorted(unfinished, key=lambda c: (c.created_at, c.command_id))

    def set_execution(self, command_id: str, execution_arn: str) -> None:
        self.commands[command_id].execution_arn = execution_arn

    def mark_sent(self, command_id: str, message_id: str, connection_id: str, at: datetime) -> None:
        command = self.commands[command_id]
        command.status, command.message_id, command.connection_id, command.sent_at = (
            CommandStatus.SENT,
            message_id,
            connection_id,
            at,
        )

    def record_answer(
        self, command_id: str, status: CommandStatus, response: dict[str, Any], at: datetime, finished: bool
    ) -> None:
        command = self.commands[command_id]
        command.status, command.response, command.answered_at = status, response, at
        command.finished_at = at if finished else None

    def record_failure(
        self,
        command_id: str,
        status: CommandStatus,
        error: CommandError,
        at: datetime,
        answered_at: datetime | None = None,
    ) -> None:
        command = self.commands[command_id]
        command.status, command.error, command.finished_at = status, error, at
        command.answered_at = answered_at or command.answered_at

    def record_result(self, command_id: str, result: dict[str, Any], at: datetime) -> None:
        command = self.commands[command_id]
        command.result, command.finished_at = result, at


@dataclass
class RecordingWorkflows:
    """Step Functions as the domain sees it: executions started, task tokens completed."""

    started: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    succeeded: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    failed: list[tuple[str, str, str]] = field(default_factory=list)

    def start(self, name: str, execution_input: dict[str, Any]) -> str:
        self.started.append((name, execution_input))
        return f"arn:aws:states:us-east-1:123456789012:execution:commands:{name}"

    def succeed(self, task_token: str, output: dict[str, Any]) -> None:
        self.succeeded.append((task_token, output))

    def fail(self, task_token: str, error: str, cause: str) -> None:
        self.failed.append((task_token, error, cause))


@dataclass
class RecordingPublisher:
    """The event bus: events published, in order, and how many requests published them; events of charge points
    in `refusing` are not accepted, as PutEvents answers a failed entry; while `failing`, a request fails."""

    published: list[DomainEvent] = field(default_factory=list)
    refusing: set[str] = field(default_factory=set)
    failing: bool = False
    requests: int = 0

    def publish(self, events: Sequence[DomainEvent]) -> list[DomainEvent]:
        self.requests += 1
        if self.failing:
            raise ConnectionError("the bus did not answer")
        refused = [event for event in events if getattr(event, "charge_point_id", None) in self.refusing]
        self.published.extend(event for event in events if getattr(event, "charge_point_id", None) not in self.refusing)
        return refused


class InMemoryConfiguration:
    """Reported configuration, kept with the charge points: deleting a charge point deletes its values."""

    def __init__(self, charge_points: InMemoryChargePoints) -> None:
        self.variables = charge_points.variables

    def put(self, charge_point_id: str, variables: list[ConfigurationVariable]) -> None:
        stored = self.variables.setdefault(charge_point_id, {})
        stored.update((variable.identity, variable) for variable in variables)

    def list(self, charge_point_id: str) -> list[ConfigurationVariable]:
        return list(self.variables.get(charge_point_id, {}).values())


T = TypeVar("T")


class InMemoryRevisionedSets(Generic[T]):
    """One set per charge point with its revision, kept with the charge points (deleting one deletes its set); a
    write is refused, and the change made again, when the revision moved since it was read (`RevisionedItem`)."""

    def __init__(self, sets: dict[str, tuple[int, T]], empty: T, what: str) -> None:
        self.sets = sets
        self._empty = empty
        self._what = what
        self.writes = 0

    def get(self, charge_point_id: str) -> T:
        return self.sets.get(charge_point_id, (0, self._empty))[1]

    def update(self, charge_point_id: str, change: Callable[[T], T]) -> T:
        for _ in range(MAX_ATTEMPTS):
            revision, current = self.sets.get(charge_point_id, (0, self._empty))
            changed = change(current)
            if changed == current:
                return current
            if self.sets.get(charge_point_id, (0, current))[0] == revision:
                self.writes += 1
                self.sets[charge_point_id] = (revision + 1, changed)
                return changed
        raise ConcurrentUpdateError(f"the {self._what} of {charge_point_id} kept changing")


class InMemoryInstalledProfiles(InMemoryRevisionedSets[InstalledProfiles]):
    def __init__(self, charge_points: InMemoryChargePoints) -> None:
        super().__init__(charge_points.installed_profiles, InstalledProfiles(), "installed profiles")


class InMemoryInstalledCertificates(InMemoryRevisionedSets[InstalledCertificates]):
    def __init__(self, charge_points: InMemoryChargePoints) -> None:
        super().__init__(charge_points.installed_certificates, InstalledCertificates(), "installed certificates")


class InMemoryLocalLists(InMemoryRevisionedSets[LocalListState]):
    def __init__(self, charge_points: InMemoryChargePoints) -> None:
        super().__init__(charge_points.local_lists, LocalListState(), "local list")

    def charge_point_ids(self) -> list[str]:
        return sorted(self.sets)


class InMemoryProvisioning(InMemoryRevisionedSets[ChargerProvisioning]):
    def __init__(self, charge_points: InMemoryChargePoints) -> None:
        super().__init__(charge_points.provisioning, ChargerProvisioning(), "provisioning")


class InMemoryProfileUpgrades(InMemoryRevisionedSets[ProfileUpgrade]):
    def __init__(self, charge_points: InMemoryChargePoints) -> None:
        super().__init__(charge_points.profile_upgrades, ProfileUpgrade(), "security profile upgrade")


class InMemoryLogUploads:
    """Log uploads, kept with the charge points; replaced only from the status and command id read, as in DynamoDB."""

    def __init__(self, charge_points: InMemoryChargePoints) -> None:
        self._by_charger = charge_points.log_uploads

    def create(self, upload: LogUpload) -> None:
        uploads = self._by_charger.setdefault(upload.charge_point_id, {})
        if upload.upload_id in uploads:
            raise ValueError(f"upload {upload.upload_id} exists")
        uploads[upload.upload_id] = upload

    def replace(self, current: LogUpload, changed: LogUpload) -> None:
        stored = self._by_charger.get(current.charge_point_id, {}).get(current.upload_id)
        if stored is None or (stored.status, stored.command_id) != (current.status, current.command_id):
            raise ConcurrentUploadChangeError(current.upload_id)
        self._by_charger[current.charge_point_id][current.upload_id] = changed

    def find(self, charge_point_id: str, matches: Callable[[LogUpload], bool]) -> LogUpload | None:
        return next((upload for upload in self._newest_first(charge_point_id) if matches(upload)), None)

    def page(self, charge_point_id: str, limit: int, next_token: str | None = None) -> Page[LogUpload]:
        return page_of(self._newest_first(charge_point_id), limit, next_token, f"log uploads of {charge_point_id}")

    def _newest_first(self, charge_point_id: str) -> list[LogUpload]:
        uploads = self._by_charger.get(charge_point_id, {}).values()
        return sorted(uploads, key=lambda upload: (upload.requested_at, upload.upload_id), reverse=True)


class InMemoryFileStore:
    """Files by key; URLs name the key and what they allow (`put_file` stands in for a charger's PUT).

    A URL carries `signature_length` characters of signature (as a presigned URL carries a Lambda's session token);
    one that would not fit `max_length` is a short link `https://api.example/files/<token>` instead, which
    `short_links` maps to its method and key.
    """

    def __init__(self, signature_length: int = 0) -> None:
        self.files: dict[str, bytes] = {}
        self.short_links: dict[str, tuple[str, str]] = {}
        self.signature_length = signature_length

    def upload_url(self, key: str, expires: timedelta, max_length: int | None = None) -> str:
        return self._url("PUT", key, expires, max_length)

    def download_url(self, key: str, expires: timedelta, max_length: int | None = None) -> str:
        return self._url("GET", key, expires, max_length)

    def _url(self, method: str, key: str, expires: timedelta, max_length: int | None) -> str:
        signature = f"&signature={'s' * self.signature_length}" if self.signature_length else ""
        url = f"https://files.example/{key}?{method.lower()}&expires={int(expires.total_seconds())}{signature}"
        if max_length is None or len(url) <= max_length:
            return url
        token = f"link-{len(self.short_links) + 1}"
        self.short_links[token] = (method, key)
        return f"https://api.example/files/{token}"

    def exists(self, key: str) -> bool:
        return key in self.files

    def describe(self, key: str) -> StoredFile | None:
        content = self.files.get(key)
        return None if content is None else StoredFile(len(content), hashlib.md5(content).hexdigest())  # noqa: S324

    def put_file(self, key: str, content: bytes) -> None:
        self.files[key] = content


class InMemoryShortLinks:
    def __init__(self) -> None:
        self.links: dict[str, ShortLink] = {}

    def put(self, link: ShortLink) -> None:
        self.links[link.token] = link

    def get(self, token: str) -> ShortLink | None:
        return self.links.get(token)


class InMemoryFirmware:
    """Firmware images by id."""

    def __init__(self) -> None:
        self.images: dict[str, FirmwareImage] = {}

    def put(self, image: FirmwareImage) -> None:
        self.images[image.firmware_id] = image

    def get(self, firmware_id: str) -> FirmwareImage | None:
        return self.images.get(firmware_id)

    def page(self, limit: int, next_token: str | None = None) -> Page[FirmwareImage]:
        newest = sorted(self.images.values(), key=lambda image: (image.created_at, image.firmware_id), reverse=True)
        return page_of(newest, limit, next_token, "firmware images")


class InMemoryPendingPasswords:
    """Pending password hashes, kept with the charge points (deleting one deletes its pending password)."""

    def __init__(self, charge_points: InMemoryChargePoints) -> None:
        self._profiles = charge_points.profiles
        self.pending = charge_points.pending_passwords

    def get(self, charge_point_id: str) -> str | None:
        return self.pending.get(charge_point_id)

    def put(self, charge_point_id: str, password_hash: str, at: datetime) -> None:
        self.pending[charge_point_id] = password_hash

    def clear(self, charge_point_id: str, password_hash: str | None = None) -> None:
        if password_hash is None or self.pending.get(charge_point_id) == password_hash:
            self.pending.pop(charge_point_id, None)

    def promote(self, charge_point_id: str, password_hash: str) -> bool:
        profile = self._profiles.get(charge_point_id)
        if profile is None or self.pending.get(charge_point_id) != password_hash:
            return False
        del self.pending[charge_point_id]
        profile.password_hash = password_hash
        return True


class InMemoryReservations:
    def __init__(self) -> None:
        self.reservations: dict[tuple[str, int], Reservation] = {}
        self.writes = 0

    def put(self, reservation: Reservation) -> None:
        self.writes += 1
        self.reservations[(reservation.charge_point_id, reservation.reservation_id)] = reservation

    def get(self, charge_point_id: str, reservation_id: int) -> Reservation | None:
        return self.reservations.get((charge_point_id, reservation_id))

    def end(
        self,
        charge_point_id: str,
        reservation_id: int,
        status: ReservationStatus,
        at: datetime,
        transaction_id: str | None = None,
    ) -> bool:
        self.writes += 1
        key = (charge_point_id, reservation_id)
        reservation = self.reservations.get(key)
        if reservation is None or reservation.status is not ReservationStatus.RESERVED:
            return False
        self.reservations[key] = replace(reservation, status=status, updated_at=at, transaction_id=transaction_id)
        return True

    def page(
        self,
        limit: int,
        next_token: str | None = None,
        charge_point_id: str | None = None,
        status: ReservationStatus | None = None,
    ) -> Page[Reservation]:
        matching = [
            r
            for r in self.reservations.values()
            if charge_point_id in (None, r.charge_point_id) and status in (None, r.status)
        ]
        return page_of(matching, limit, next_token, f"reservations of {charge_point_id} in {status}")


class InMemorySecurityEvents:
    def __init__(self) -> None:
        self.events: dict[tuple[str, datetime, str], SecurityEvent] = {}

    def put(self, event: SecurityEvent) -> None:
        self.events[(event.charge_point_id, event.timestamp, event.event_id)] = event

    def page(self, where: SecurityEventFilter, limit: int, next_token: str | None = None) -> Page[SecurityEvent]:
        newest_first = sorted(
            (event for event in self.events.values() if where.matches(event)),
            key=lambda event: (event.timestamp, event.event_id),
            reverse=True,
        )
        return page_of(newest_first, limit, next_token, f"security events {where}")


class InMemoryFailureCounter:
    def __init__(self) -> None:
        self.windows: dict[str, tuple[datetime, int]] = {}  # expires at, failures

    def count(self, charge_point_id: str, at: datetime, window: timedelta) -> int:
        expires, failures = self.windows.get(charge_point_id, (at, 0))
        self.windows[charge_point_id] = (expires, failures + 1) if expires > at else (at + window, 1)
        return self.windows[charge_point_id][1]


class InMemoryUserDirectory:
    """Cognito's user directory as the adapter sees it: usernames are unique, groups a set per user."""

    def __init__(self) -> None:
        self.users: dict[str, DirectoryUser] = {}

    def page(self, limit: int, next_token: str | None) -> Page[DirectoryUser]:
        return page_of([self.users[name] for name in sorted(self.users)], limit, next_token, "users")

    def get(self, username: str) -> DirectoryUser | None:
        return self.users.get(username)

    def create(self, username: str, email: str) -> DirectoryUser | None:
        if username in self.users:
            return None
        self.users[username] = DirectoryUser(username, email, enabled=True, status="FORCE_CHANGE_PASSWORD")
        return self.users[username]

    def add_to_group(self, username: str, group: str) -> None:
        user = self._existing(username)
        self.users[username] = replace(user, groups=user.groups | {group})

    def remove_from_group(self, username: str, group: str) -> None:
        user = self._existing(username)
        self.users[username] = replace(user, groups=user.groups - {group})

    def delete(self, username: str) -> bool:
        return self.users.pop(username, None) is not None

    def _existing(self, username: str) -> DirectoryUser:
        if username not in self.users:
            raise UnknownUserError(username)
        return self.users[username]


class InMemoryRebalanceStates:
    """Per site: whether a rebalance runs (and since when), whether a request waits for the next."""

    def __init__(self) -> None:
        self.states: dict[str, tuple[bool, bool, datetime | None]] = {}  # running, pending, since

    def request(self, site_id: str, at: datetime, stale_before: datetime) -> bool:
        running, _, since = self.states.get(site_id, (False, False, None))
        if not running or (since is not None and since < stale_before):
            self.states[site_id] = (True, False, at)
            return True
        self.states[site_id] = (True, True, since)
        return False

    def take_pending(self, site_id: str) -> None:
        running, _, since = self.states.get(site_id, (False, False, None))
        self.states[site_id] = (running, False, since)

    def finish(self, site_id: str) -> bool:
        _, pending, since = self.states.get(site_id, (False, False, None))
        if pending:
            return True
        self.states[site_id] = (False, False, since)
        return False


class InMemoryAllocations:
    def __init__(self) -> None:
        self.allocations: dict[str, SiteAllocation] = {}
        self.histories: dict[str, list[SiteAllocation]] = {}

    def get(self, site_id: str) -> SiteAllocation | None:
        return self.allocations.get(site_id)

    def put(self, allocation: SiteAllocation) -> None:
        self.allocations[allocation.site_id] = allocation

    def append_history(self, allocation: SiteAllocation) -> None:
        self.histories.setdefault(allocation.site_id, []).append(allocation)

    def history(self, site_id: str, limit: int, next_token: str | None = None) -> Page[SiteAllocation]:
        newest_first = sorted(self.histories.get(site_id, []), key=lambda entry: entry.computed_at, reverse=True)
        return page_of(newest_first, limit, next_token, f"history:{site_id}")


class InMemoryCertificates:
    """The CA's certificates and roots; status changes and renewal claims conditional as in DynamoDB."""

    def __init__(self) -> None:
        self.records: dict[str, CertificateRecord] = {}
        self.roots: dict[str, CaCertificate] = {}

    def ca_certificate(self, key_id: str) -> CaCertificate | None:
        return self.roots.get(key_id)

    def add_ca_certificate(self, ca: CaCertificate) -> CaCertificate:
        return self.roots.setdefault(ca.key_id, ca)

    def add(self, record: CertificateRecord) -> None:
        if record.serial in self.records:
            raise ValueError(f"serial {record.serial} issued twice")
        self.records[record.serial] = record

    def get(self, serial: str) -> CertificateRecord | None:
        return self.records.get(serial)

    def find_by_fingerprint(self, sha256_fingerprint: str) -> CertificateRecord | None:
        return next((r for r in self.records.values() if r.sha256_fingerprint == sha256_fingerprint), None)

    def list_for_charge_point(self, charge_point_id: str) -> list[CertificateRecord]:
        held = [r for r in self.records.values() if r.charge_point_id == charge_point_id]
        return sorted(held, key=lambda r: r.not_before, reverse=True)

    def list_active_expiring_before(self, moment: datetime) -> list[CertificateRecord]:
        due = [r for r in self.records.values() if r.status is CertificateStatus.ACTIVE and r.not_after < moment]
        return sorted(due, key=lambda r: r.not_after)

    def set_status(
        self, serial: str, status: CertificateStatus, only_if: CertificateStatus | None = None
    ) -> CertificateRecord | None:
        record = self.records.get(serial)
        if record is None or only_if not in (None, record.status):
            return None
        self.records[serial] = replace(record, status=status)
        return self.records[serial]

    def claim_renewal(self, serial: str, at: datetime, not_since: datetime) -> bool:
        record = self.records.get(serial)
        if record is None or (record.renewal_requested_at is not None and record.renewal_requested_at >= not_since):
            return False
        self.records[serial] = replace(record, renewal_requested_at=at)
        return True


class LocalKeySigner:
    """The CA's KMS key as a P-256 key in memory: signs alike (DER ECDSA with SHA-256)."""

    def __init__(self, key_id: str = "local-key") -> None:
        self.key_id = key_id
        self.private_key = ec.generate_private_key(ec.SECP256R1())

    def public_key_info(self) -> bytes:
        return self.private_key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)

    def sign(self, message: bytes) -> bytes:
        return self.private_key.sign(message, ec.ECDSA(hashes.SHA256()))


class InMemoryCampaigns:
    """Campaigns and their chargers; every change conditional, as in DynamoDB."""

    def __init__(self) -> None:
        self.campaigns: dict[str, Campaign] = {}
        self.members: dict[str, dict[str, CampaignCharger]] = {}

    def create(self, campaign: Campaign, chargers: Sequence[CampaignCharger]) -> None:
        self.campaigns[campaign.campaign_id] = deepcopy(campaign)
        self.members[campaign.campaign_id] = {charger.charger_id: charger for charger in chargers}

    def get(self, campaign_id: str) -> Campaign | None:
        campaign = self.campaigns.get(campaign_id)
        return deepcopy(campaign) if campaign else None

    def page(self, limit: int, next_token: str | None = None) -> Page[Campaign]:
        newest = sorted(self.campaigns.values(), key=lambda c: (c.created_at, c.campaign_id), reverse=True)
        return page_of([deepcopy(campaign) for campaign in newest], limit, next_token, "campaigns")

    def _ordered(self, campaign_id: str) -> list[CampaignCharger]:
        return sorted(self.members.get(campaign_id, {}).values(), key=lambda c: (c.batch, c.charger_id))

    def chargers(self, campaign_id: str, limit: int, next_token: str | None = None) -> Page[CampaignCharger]:
        return page_of(self._ordered(campaign_id), limit, next_token, f"campaign chargers {campaign_id}")

    def batch(self, campaign_id: str, batch: int) -> list[CampaignCharger]:
        return [charger for charger in self._ordered(campaign_id) if charger.batch == batch]

    def update_charger(self, campaign_id: str, charger: CampaignCharger, seen: ChargerState) -> bool:
        members = self.members[campaign_id]
        if members[charger.charger_id].state is not seen:
            return False
        members[charger.charger_id] = charger
        counts = self.campaigns[campaign_id].counts
        setattr(counts, seen.value, counts.of(seen) - 1)
        setattr(counts, charger.state.value, counts.of(charger.state) + 1)
        return True

    def change_status(
        self, campaign_id: str, seen: frozenset[CampaignStatus], status: CampaignStatus, reason: str | None = None
    ) -> bool:
        campaign = self.campaigns.get(campaign_id)
        if campaign is None or campaign.status not in seen:
            return False
        campaign.status, campaign.reason = status, reason or campaign.reason
        return True

    def resume(self, campaign_id: str) -> bool | None:
        campaign = self.campaigns.get(campaign_id)
        if campaign is None or campaign.status is not CampaignStatus.PAUSED:
            return None
        campaign.status = CampaignStatus.RUNNING
        if campaign.active:
            return False
        campaign.active, campaign.generation = True, campaign.generation + 1
        return True

    def next_batch(self, campaign_id: str, batch: int) -> bool:
        campaign = self.campaigns[campaign_id]
        if campaign.batch != batch:
            return False
        campaign.batch += 1
        return True

    def hand_over(self, campaign_id: str, generation: int) -> bool:
        campaign = self.campaigns[campaign_id]
        if campaign.generation != generation:
            return False
        campaign.generation += 1
        return True

    def deactivate(self, campaign_id: str, generation: int) -> bool:
        campaign = self.campaigns[campaign_id]
        if campaign.generation != generation or campaign.status is CampaignStatus.RUNNING:
            return False
        campaign.active = False
        return True

    def active(self) -> list[Campaign]:
        oldest = sorted(self.campaigns.values(), key=lambda c: (c.created_at, c.campaign_id))
        return [deepcopy(campaign) for campaign in oldest if campaign.active]


@dataclass(frozen=True)
class InMemoryRepositories:
    charge_points: InMemoryChargePoints
    connections: InMemoryConnections
    id_tokens: InMemoryIdTokens
    transactions: InMemoryTransactions
    meter_values: InMemoryMeterValues
    calls: InMemoryCalls
    command_queues: InMemoryCommandQueues
    commands: InMemoryCommands
    configuration: InMemoryConfiguration
    installed_profiles: InMemoryInstalledProfiles
    installed_certificates: InMemoryInstalledCertificates
    pending_passwords: InMemoryPendingPasswords
    provisioning: InMemoryProvisioning
    local_lists: InMemoryLocalLists
    profile_upgrades: InMemoryProfileUpgrades
    reservations: InMemoryReservations
    tariffs: InMemoryTariffs
    sites: InMemorySites
    invoices: InMemoryInvoices
    rebalance_states: InMemoryRebalanceStates
    allocations: InMemoryAllocations
    users: InMemoryUserDirectory
    security_events: InMemorySecurityEvents
    wrong_password_counter: InMemoryFailureCounter
    certificates: InMemoryCertificates
    log_uploads: InMemoryLogUploads
    files: InMemoryFileStore
    short_links: InMemoryShortLinks
    campaigns: InMemoryCampaigns
    firmware: InMemoryFirmware


def in_memory_repositories() -> Repositories:
    """Every port over its in-memory fake (the invoices over the transactions, the configuration and the
    installed profiles with the charge points, as in DynamoDB)."""
    transactions, charge_points = InMemoryTransactions(), InMemoryChargePoints()
    return InMemoryRepositories(
        charge_points=charge_points,
        connections=InMemoryConnections(),
        id_tokens=InMemoryIdTokens(),
        transactions=transactions,
        meter_values=InMemoryMeterValues(),
        calls=InMemoryCalls(),
        command_queues=InMemoryCommandQueues(),
        commands=InMemoryCommands(),
        configuration=InMemoryConfiguration(charge_points),
        installed_profiles=InMemoryInstalledProfiles(charge_points),
        installed_certificates=InMemoryInstalledCertificates(charge_points),
        pending_passwords=InMemoryPendingPasswords(charge_points),
        provisioning=InMemoryProvisioning(charge_points),
        local_lists=InMemoryLocalLists(charge_points),
        profile_upgrades=InMemoryProfileUpgrades(charge_points),
        reservations=InMemoryReservations(),
        tariffs=InMemoryTariffs(),
        sites=InMemorySites(),
        invoices=InMemoryInvoices(transactions),
        rebalance_states=InMemoryRebalanceStates(),
        allocations=InMemoryAllocations(),
        users=InMemoryUserDirectory(),
        security_events=InMemorySecurityEvents(),
        wrong_password_counter=InMemoryFailureCounter(),
        certificates=InMemoryCertificates(),
        log_uploads=InMemoryLogUploads(charge_points),
        files=InMemoryFileStore(),
        short_links=InMemoryShortLinks(),
        campaigns=InMemoryCampaigns(),
        firmware=InMemoryFirmware(),
    )
