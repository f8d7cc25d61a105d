"""`DynamoDbConnectionRepository` on moto: the record's expiry (the port's contract: `tests/contracts`)."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from csms.composition import Repositories
from csms.domain.models import Connection
from csms.domain.ports import ConnectionRepository
from csms.wire.versions import OcppVersion

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def connections(repositories: Repositories) -> ConnectionRepository:
    return repositories.connections


def test_a_connection_record_expires_after_api_gateway_would_have_closed_it(
    connections: ConnectionRepository, raw_table: Callable[[str], Any]
) -> None:
    # When a connection is stored
    connections.put(Connection("conn-1", "CP-1", OcppVersion.V16, T0))

    # Then its TTL is beyond API Gateway's 2 hour maximum
    item = raw_table("connections_table").get_item(Key={"connectionId": "conn-1"})["Item"]
    assert int(item["expiresAt"]) == int((T0 + timedelta(hours=3)).timestamp())
    assert int(item["expiresAt"]) > int((T0 + timedelta(hours=2)).timestamp())
