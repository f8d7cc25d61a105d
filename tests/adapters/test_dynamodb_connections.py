"""`DynamoDbConnectionRepository` on moto."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from csms.domain.models import Connection
from csms.domain.ports import ConnectionRepository
from csms.ocpp_versions import OcppVersion
from csms.services import Repositories

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def connections(repositories: Repositories) -> ConnectionRepository:
    return repositories.connections


def test_a_connection_round_trips(connections: ConnectionRepository) -> None:
    connection = Connection("conn-1", "CP 01", OcppVersion.V201, T0)

    connections.put(connection)

    assert connections.get("conn-1") == connection


def test_an_unknown_connection_is_none(connections: ConnectionRepository) -> None:
    assert connections.get("conn-404") is None


def test_a_deleted_connection_is_gone(connections: ConnectionRepository) -> None:
    connections.put(Connection("conn-1", "CP-1", OcppVersion.V16, T0))
    connections.put(Connection("conn-2", "CP-2", OcppVersion.V16, T0))

    connections.delete("conn-1")

    assert connections.get("conn-1") is None
    assert connections.get("conn-2") is not None


def test_deleting_an_unknown_connection_is_harmless(connections: ConnectionRepository) -> None:
    connections.delete("conn-404")

    assert connections.get("conn-404") is None


def test_a_connection_record_expires_after_api_gateway_would_have_closed_it(
    connections: ConnectionRepository, raw_table: Callable[[str], Any]
) -> None:
    # When a connection is stored
    connections.put(Connection("conn-1", "CP-1", OcppVersion.V16, T0))

    # Then its TTL is beyond API Gateway's 2 hour maximum
    item = raw_table("connections_table").get_item(Key={"connectionId": "conn-1"})["Item"]
    assert int(item["expiresAt"]) == int((T0 + timedelta(hours=3)).timestamp())
    assert int(item["expiresAt"]) > int((T0 + timedelta(hours=2)).timestamp())
