"""Wrong-password counts in the Idempotency table: one item per charge point id, expiring with its window."""

from datetime import datetime, timedelta
from typing import Any

KEY_PREFIX = "wrong-passwords#"


class DynamoDbFailureCounter:
    def __init__(self, table: Any) -> None:
        self._table = table
        self._client = table.meta.client

    def count(self, charge_point_id: str, at: datetime, window: timedelta) -> int:
        """Add one within the current window (one conditional write), or start a new window."""
        key, now = {"key": f"{KEY_PREFIX}{charge_point_id}"}, int(at.timestamp())
        try:
            response = self._table.update_item(
                Key=key,
                UpdateExpression="ADD failures :one",
                ConditionExpression="expiresAt > :now",
                ExpressionAttributeValues={":one": 1, ":now": now},
                ReturnValues="UPDATED_NEW",
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            self._table.put_item(Item={**key, "failures": 1, "expiresAt": now + int(window.total_seconds())})
            return 1
        return int(response["Attributes"]["failures"])
