"""In-memory stand-ins for the domain's ports, for unit tests of the domain."""

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from csms.domain.models import (
    BootInfo,
    ChargePoint,
    Connection,
    ConnectorStatus,
    IdToken,
    MeterReading,
    Transaction,
    TransactionStatus,
)
from csms.domain.ports import ConnectionGoneError
from csms.ocpp_versions import OcppVersion


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
        self.writes = 0

    def _profile(self, charge_point_id: str) -> ChargePoint:
        self.writes += 1
        return self.profiles.setdefault(charge_point_id, ChargePoint(charge_point_id))

    def get(self, charge_point_id: str) -> ChargePoint | None:
        return self.profiles.get(charge_point_id)

    def get_password_hash(self, charge_point_id: str) -> tuple[bool, str | None]:
        profile = self.profiles.get(charge_point_id)
        return (profile is not None, profile.password_hash if profile else None)

    def register(self, charge_point_id: str, password_hash: str | None, at: datetime) -> None:
        profile = self._profile(charge_point_id)
        profile.registered_at = profile.registered_at or at
        if password_hash is not None:
            profile.password_hash = password_hash

    def list(self) -> list[ChargePoint]:
        return list(self.profiles.values())

    def record_connected(
        self, charge_point_id: str, connection_id: str, version: OcppVersion, at: datetime
    ) -> str | None:
        profile = self._profile(charge_point_id)
        previous = profile.connection_id
        profile.connection_id, profile.connected, profile.ocpp_version, profile.last_seen = (
            connection_id,
            True,
            version,
            at,
        )
        return previous

    def record_disconnected(self, charge_point_id: str, connection_id: str, at: datetime) -> bool:
        profile = self.profiles.get(charge_point_id)
        if profile is None or profile.connection_id != connection_id:
            return False
        profile.connection_id, profile.connected, profile.last_seen = None, False, at
        self.writes += 1
        return True

    def record_boot(self, charge_point_id: str, boot: BootInfo, at: datetime) -> None:
        profile = self._profile(charge_point_id)
        profile.vendor, profile.model, profile.serial_number, profile.firmware_version = (
            boot.vendor,
            boot.model,
            boot.serial_number,
            boot.firmware_version,
        )
        profile.last_boot = profile.last_seen = at

    def record_status(self, charge_point_id: str, status: ConnectorStatus) -> None:
        profile = self._profile(charge_point_id)
        profile.connectors = [c for c in profile.connectors if c.key != status.key] + [status]

    def record_seen(self, charge_point_id: str, at: datetime) -> None:
        self._profile(charge_point_id).last_seen = at

    def record_notification(
        self, charge_point_id: str, kind: str, message_id: str, at: datetime, details: dict[str, object]
    ) -> None:
        self.writes += 1
        self.notifications.append((charge_point_id, kind, message_id, details))


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

    def list(self) -> list[IdToken]:
        return list(self.tokens.values())


class InMemoryTransactions:
    def __init__(self) -> None:
        self.transactions: dict[tuple[str, str], Transaction] = {}
        self.keys: dict[str, tuple[str, str]] = {}
        self.sequence = 0

    def get(self, charge_point_id: str, transaction_id: str) -> Transaction | None:
        return self.transactions.get((charge_point_id, transaction_id))

    def find(self, transaction_id: str) -> list[Transaction]:
        return [t for (_, tx_id), t in self.transactions.items() if tx_id == transaction_id]

    def list_for_charge_point(self, charge_point_id: str) -> list[Transaction]:
        return [t for (cp, _), t in self.transactions.items() if cp == charge_point_id]

    def list(self) -> list[Transaction]:
        return list(self.transactions.values())

    def create_once(self, transaction: Transaction, idempotency_key: str | None = None) -> Transaction:
        if idempotency_key in self.keys:
            return self.transactions[self.keys[idempotency_key]]
        key = (transaction.charge_point_id, transaction.transaction_id)
        if key in self.transactions:
            return self.transactions[key]
        self.transactions[key] = transaction
        if idempotency_key is not None:
            self.keys[idempotency_key] = key
        return transaction

    def find_by_idempotency_key(self, idempotency_key: str) -> Transaction | None:
        key = self.keys.get(idempotency_key)
        return self.transactions[key] if key else None

    def next_transaction_id(self) -> int:
        self.sequence += 1
        return self.sequence

    def complete(self, transaction: Transaction) -> bool:
        key = (transaction.charge_point_id, transaction.transaction_id)
        existing = self.transactions.get(key)
        if existing is not None and existing.status is TransactionStatus.COMPLETED:
            return False
        self.transactions[key] = transaction
        return True

    def set_id_token(self, charge_point_id: str, transaction_id: str, id_token: str) -> None:
        key = (charge_point_id, transaction_id)
        existing = self.transactions.get(key)
        if existing is not None and existing.id_token is None:
            self.transactions[key] = replace(existing, id_token=id_token)


class InMemoryMeterValues:
    def __init__(self) -> None:
        self.series: dict[str, dict[str, list[MeterReading]]] = {}

    def put(self, series_key: str, sample_key: str, readings: list[MeterReading]) -> None:
        self.series.setdefault(series_key, {})[sample_key] = readings

    def list(self, series_key: str) -> list[MeterReading]:
        readings = [r for batch in self.series.get(series_key, {}).values() for r in batch]
        return sorted(readings, key=lambda reading: reading.timestamp)


class InMemoryCalls:
    def __init__(self) -> None:
        self.answers: dict[tuple[str, str], dict[str, object]] = {}

    def record_answer(
        self,
        charge_point_id: str,
        message_id: str,
        at: datetime,
        payload: dict[str, object] | None = None,
        error: dict[str, object] | None = None,
    ) -> None:
        self.answers[(charge_point_id, message_id)] = {"payload": payload, "error": error, "at": at}
