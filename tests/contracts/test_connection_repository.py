"""The `ConnectionRepository` contract: live WebSocket connections by connection id."""

from datetime import UTC, datetime

from csms.domain.models import Connection
from csms.domain.ports import ConnectionRepository
from csms.wire.versions import OcppVersion

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_a_connection_round_trips(connections: ConnectionRepository) -> None:
    connection = Connection("conn-1", "CP 01", OcppVersion.V201, T0)

    connections.put(connection)

    assert connections.get("conn-1") == connection


def test_an_unknown_connection_is_none(connections: ConnectionRepository) -> None:
    assert connections.get("conn-404") is None


def test_putting_a_connection_again_replaces_it(connections: ConnectionRepository) -> None:
    connections.put(Connection("conn-1", "CP-1", OcppVersion.V16, T0))

    connections.put(Connection("conn-1", "CP-2", OcppVersion.V201, T0.replace(minute=5)))

    assert connections.get("conn-1") == Connection("conn-1", "CP-2", OcppVersion.V201, T0.replace(minute=5))


def test_a_deleted_connection_is_gone_and_the_others_stay(connections: ConnectionRepository) -> None:
    connections.put(Connection("conn-1", "CP-1", OcppVersion.V16, T0))
    connections.put(Connection("conn-2", "CP-1", OcppVersion.V16, T0))

    connections.delete("conn-1")

    assert connections.get("conn-1") is None
    assert connections.get("conn-2") == Connection("conn-2", "CP-1", OcppVersion.V16, T0)


def test_deleting_an_unknown_connection_is_harmless(connections: ConnectionRepository) -> None:
    connections.delete("conn-404")

    assert connections.get("conn-404") is None
