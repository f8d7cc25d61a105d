"""Each charge point's command queue, in the Calls table next to the charge point's calls.

One head item per charge point (sort key `#QUEUE`) holds the ticket counter (`lastTicket`), whose
turn it is (`serving`), how many tickets are unserved (`queued`, which caps new ones) and, while
the turn's ticket holds the lock, `grantedPark` and `leaseUntil`. One waiter item per ticket (sort
key `#TICKET#<n>`) holds what its workflow last parked. Neither is ever an answerable call: an
answer claims only an item with a `taskToken` (the waiter's is `parkedToken`), and the CSMS's
message ids are UUIDs.
"""

from datetime import datetime
from typing import Any

from csms.adapters.dynamodb.calls import CALL_RECORD_LIFETIME
from csms.adapters.dynamodb.codec import encode, integer, timestamp
from csms.commands.models import QueueHead, Waiter

HEAD_KEY = "#QUEUE"


def _waiter_key(ticket: int) -> str:
    return f"#TICKET#{ticket}"


class DynamoDbCommandQueueRepository:
    def __init__(self, table: Any) -> None:
        self._table = table
        self._errors = table.meta.client.exceptions

    def take_ticket(self, charge_point_id: str, command_id: str, at: datetime, limit: int) -> int | None:
        try:
            response = self._table.update_item(
                Key=self._key(charge_point_id, HEAD_KEY),
                UpdateExpression=(
                    "SET #serving = if_not_exists(#serving, :one), #lastIssuedAt = :at "
                    "ADD #lastTicket :one, #queued :one"
                ),
                ConditionExpression="attribute_not_exists(#queued) OR #queued < :limit",
                ExpressionAttributeNames={
                    "#serving": "serving",
                    "#lastIssuedAt": "lastIssuedAt",
                    "#lastTicket": "lastTicket",
                    "#queued": "queued",
                },
                ExpressionAttributeValues={":one": 1, ":at": encode(at), ":limit": limit},
                ReturnValues="UPDATED_NEW",
            )
        except self._errors.ConditionalCheckFailedException:
            return None
        ticket = int(response["Attributes"]["lastTicket"])
        self._table.put_item(
            Item={
                **self._key(charge_point_id, _waiter_key(ticket)),
                "ticket": ticket,
                "commandId": command_id,
                "seenAt": encode(at),
                "expiresAt": _expires(at),
            }
        )
        return ticket

    def head(self, charge_point_id: str) -> QueueHead:
        stored = self._get(charge_point_id, HEAD_KEY)
        if stored is None:
            return QueueHead()
        return QueueHead(
            last_ticket=int(stored["lastTicket"]),
            serving=int(stored["serving"]),
            granted_park=integer(stored.get("grantedPark")),
            lease_until=timestamp(stored.get("leaseUntil")),
            last_issued_at=timestamp(stored.get("lastIssuedAt")),
        )

    def waiter(self, charge_point_id: str, ticket: int) -> Waiter | None:
        stored = self._get(charge_point_id, _waiter_key(ticket))
        if stored is None:
            return None
        return Waiter(
            ticket=ticket,
            seen_at=timestamp(stored.get("seenAt")),
            park=int(stored.get("park", 0)),
            task_token=stored.get("parkedToken"),
            hold_seconds=int(stored.get("holdSeconds", 0)),
            left=bool(stored.get("left", False)),
        )

    def park(self, charge_point_id: str, ticket: int, task_token: str, hold_seconds: int, at: datetime) -> int | None:
        try:
            response = self._table.update_item(
                Key=self._key(charge_point_id, _waiter_key(ticket)),
                UpdateExpression=(
                    "SET #parkedToken = :token, #seenAt = :at, #holdSeconds = :hold, #expiresAt = :expires "
                    "ADD #park :one"
                ),
                ConditionExpression="attribute_not_exists(#left)",
                ExpressionAttributeNames={
                    "#parkedToken": "parkedToken",
                    "#seenAt": "seenAt",
                    "#holdSeconds": "holdSeconds",
                    "#expiresAt": "expiresAt",
                    "#park": "park",
                    "#left": "left",
                },
                ExpressionAttributeValues={
                    ":token": task_token,
                    ":at": encode(at),
                    ":hold": hold_seconds,
                    ":expires": _expires(at),
                    ":one": 1,
                },
                ReturnValues="UPDATED_NEW",
            )
        except self._errors.ConditionalCheckFailedException:
            return None
        return int(response["Attributes"]["park"])

    def leave(self, charge_point_id: str, ticket: int) -> None:
        self._table.update_item(
            Key=self._key(charge_point_id, _waiter_key(ticket)),
            UpdateExpression="SET #left = :left",
            ExpressionAttributeNames={"#left": "left"},
            ExpressionAttributeValues={":left": True},
        )

    def rejoin(self, charge_point_id: str, ticket: int, at: datetime) -> bool:
        try:
            self._table.update_item(
                Key=self._key(charge_point_id, _waiter_key(ticket)),
                UpdateExpression="SET #seenAt = :at, #expiresAt = :expires REMOVE #parkedToken",
                ConditionExpression="attribute_not_exists(#left)",
                ExpressionAttributeNames={
                    "#seenAt": "seenAt",
                    "#expiresAt": "expiresAt",
                    "#parkedToken": "parkedToken",
                    "#left": "left",
                },
                ExpressionAttributeValues={":at": encode(at), ":expires": _expires(at)},
            )
        except self._errors.ConditionalCheckFailedException:
            return False
        return True

    def release(self, charge_point_id: str, ticket: int) -> bool:
        return self._move_head(
            charge_point_id,
            UpdateExpression="REMOVE #grantedPark, #leaseUntil",
            ConditionExpression="#serving = :ticket AND attribute_exists(#grantedPark)",
            ExpressionAttributeNames={
                "#serving": "serving",
                "#grantedPark": "grantedPark",
                "#leaseUntil": "leaseUntil",
            },
            ExpressionAttributeValues={":ticket": ticket},
        )

    def grant(self, charge_point_id: str, ticket: int, park: int, lease_until: datetime) -> bool:
        return self._move_head(
            charge_point_id,
            UpdateExpression="SET #grantedPark = :park, #leaseUntil = :until",
            ConditionExpression="#serving = :ticket AND attribute_not_exists(#grantedPark)",
            ExpressionAttributeNames={
                "#grantedPark": "grantedPark",
                "#leaseUntil": "leaseUntil",
                "#serving": "serving",
            },
            ExpressionAttributeValues={":park": park, ":until": encode(lease_until), ":ticket": ticket},
        )

    def advance(self, charge_point_id: str, ticket: int, held: bool) -> bool:
        holder = "attribute_exists(#grantedPark)" if held else "attribute_not_exists(#grantedPark)"
        return self._move_head(
            charge_point_id,
            UpdateExpression="SET #serving = :next REMOVE #grantedPark, #leaseUntil ADD #queued :minusOne",
            ConditionExpression=f"#serving = :ticket AND {holder}",
            ExpressionAttributeNames={
                "#serving": "serving",
                "#grantedPark": "grantedPark",
                "#leaseUntil": "leaseUntil",
                "#queued": "queued",
            },
            ExpressionAttributeValues={":next": ticket + 1, ":ticket": ticket, ":minusOne": -1},
        )

    def _move_head(self, charge_point_id: str, **update: Any) -> bool:
        try:
            self._table.update_item(Key=self._key(charge_point_id, HEAD_KEY), **update)
        except self._errors.ConditionalCheckFailedException:
            return False
        return True

    def _get(self, charge_point_id: str, sort_key: str) -> dict[str, Any] | None:
        found: dict[str, Any] | None = self._table.get_item(
            Key=self._key(charge_point_id, sort_key), ConsistentRead=True
        ).get("Item")
        return found

    @staticmethod
    def _key(charge_point_id: str, sort_key: str) -> dict[str, str]:
        return {"chargePointId": charge_point_id, "messageId": sort_key}


def _expires(at: datetime) -> int:
    """Waiters matter only while their ticket is unserved; kept as long as calls, then dropped by TTL."""
    return int((at + CALL_RECORD_LIFETIME).timestamp())
