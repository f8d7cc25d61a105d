"""Live WebSocket connections (API Gateway connection id -> charge point)."""

from datetime import timedelta
from typing import Any

from csms.adapters.dynamodb.codec import encode, item, timestamp
from csms.domain.models import Connection
from csms.wire.versions import OcppVersion

# API Gateway closes every connection after 2 hours; TTL removes records a lost
# $disconnect left behind.
CONNECTION_RECORD_LIFETIME = timedelta(hours=3)


class DynamoDbConnectionRepository:
    def __init__(self, table: Any) -> None:
        self._table = table

    def put(self, connection: Connection) -> None:
        expires_at = connection.connected_at + CONNECTION_RECORD_LIFETIME
        self._table.put_item(
            Item=item(
                connectionId=connection.connection_id,
                chargePointId=connection.charge_point_id,
                ocppVersion=connection.ocpp_version.value,
                connectedAt=encode(connection.connected_at),
                expiresAt=int(expires_at.timestamp()),
            )
        )

    def get(self, connection_id: str) -> Connection | None:
        entry = self._table.get_item(Key={"connectionId": connection_id}).get("Item")
        if entry is None:
            return None
        connected_at = timestamp(entry["connectedAt"])
        assert connected_at is not None
        return Connection(
            connection_id=connection_id,
            charge_point_id=entry["chargePointId"],
            ocpp_version=OcppVersion(entry["ocppVersion"]),
            connected_at=connected_at,
        )

    def delete(self, connection_id: str) -> None:
        self._table.delete_item(Key={"connectionId": connection_id})
