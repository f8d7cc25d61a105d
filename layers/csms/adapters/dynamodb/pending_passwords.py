"""A pending password: one item in the charge point's partition of ChargePoints, promoted to the profile's
`passwordHash` by one transaction that also removes it."""

import contextlib
from datetime import datetime
from typing import Any

from csms.adapters.dynamodb.charge_points import PROFILE
from csms.adapters.dynamodb.codec import encode

# Sorts after "NOTIFICATION#": the charge point repository's `get()` never reads it.
PENDING_PASSWORD = "PENDING_PASSWORD"  # noqa: S105 - an item key, not a password


class DynamoDbPendingPasswordRepository:
    def __init__(self, charge_points_table: Any) -> None:
        self._table = charge_points_table
        self._client = charge_points_table.meta.client

    def get(self, charge_point_id: str) -> str | None:
        stored = self._table.get_item(Key=_key(charge_point_id), ConsistentRead=True).get("Item")
        return stored["passwordHash"] if stored else None

    def put(self, charge_point_id: str, password_hash: str, at: datetime) -> None:
        self._table.put_item(Item={**_key(charge_point_id), "passwordHash": password_hash, "storedAt": encode(at)})

    def clear(self, charge_point_id: str, password_hash: str | None = None) -> None:
        if password_hash is None:
            self._table.delete_item(Key=_key(charge_point_id))
            return
        # Not deleted when another one is pending now, or none.
        with contextlib.suppress(self._client.exceptions.ConditionalCheckFailedException):
            self._table.delete_item(
                Key=_key(charge_point_id),
                ConditionExpression="passwordHash = :hash",
                ExpressionAttributeValues={":hash": password_hash},
            )

    def promote(self, charge_point_id: str, password_hash: str) -> bool:
        table = self._table.name
        try:
            self._client.transact_write_items(
                TransactItems=[
                    {
                        "Delete": {
                            "TableName": table,
                            "Key": _key(charge_point_id),
                            "ConditionExpression": "passwordHash = :hash",
                            "ExpressionAttributeValues": {":hash": password_hash},
                        }
                    },
                    {
                        "Update": {
                            "TableName": table,
                            "Key": {"chargePointId": charge_point_id, "itemKey": PROFILE},
                            "UpdateExpression": "SET passwordHash = :hash",
                            "ConditionExpression": "attribute_exists(itemKey)",
                            "ExpressionAttributeValues": {":hash": password_hash},
                        }
                    },
                ]
            )
        except self._client.exceptions.TransactionCanceledException:
            return False
        return True


def _key(charge_point_id: str) -> dict[str, str]:
    return {"chargePointId": charge_point_id, "itemKey": PENDING_PASSWORD}
