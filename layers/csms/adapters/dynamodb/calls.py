"""Calls to charge points, keyed by charge point and OCPP message id.

The same partition holds the charge point's command queue (`command_queue`), under sort keys
that start with `#`, which no message id of the CSMS (a UUID) does.
"""

from datetime import datetime, timedelta
from typing import Any

from csms.adapters.dynamodb.codec import encode, from_json_value, item, json_value, timestamp
from csms.commands.models import CallAnswer, CommandError, PendingCall

CALL_RECORD_LIFETIME = timedelta(days=30)


class DynamoDbCallRepository:
    def __init__(self, table: Any) -> None:
        self._table = table
        self._errors = table.meta.client.exceptions

    def put_pending(self, call: PendingCall) -> None:
        self._table.put_item(
            Item=item(
                chargePointId=call.charge_point_id,
                messageId=call.message_id,
                action=call.action,
                commandId=call.command_id,
                taskToken=call.task_token,
                sentAt=call.sent_at,
                ticket=call.ticket,
                expiresAt=int((call.sent_at + CALL_RECORD_LIFETIME).timestamp()),
            )
        )

    def claim_answer(
        self,
        charge_point_id: str,
        message_id: str,
        at: datetime,
        payload: dict[str, object] | None = None,
        error: dict[str, object] | None = None,
    ) -> PendingCall | None:
        answer_name, answer = ("response", payload) if error is None else ("error", error)
        try:
            response = self._table.update_item(
                Key={"chargePointId": charge_point_id, "messageId": message_id},
                UpdateExpression="SET #answeredAt = :at, #answer = :answer",
                # Only a pending call (it has a task token), and only its first answer.
                ConditionExpression="attribute_exists(#taskToken) AND attribute_not_exists(#answeredAt)",
                ExpressionAttributeNames={
                    "#answeredAt": "answeredAt",
                    "#answer": answer_name,
                    "#taskToken": "taskToken",
                },
                ExpressionAttributeValues={":at": encode(at), ":answer": json_value(answer)},
                ReturnValues="ALL_NEW",
            )
        except self._errors.ConditionalCheckFailedException:
            return None
        stored = response["Attributes"]
        sent_at = timestamp(stored["sentAt"])
        assert sent_at is not None
        return PendingCall(
            charge_point_id=charge_point_id,
            message_id=message_id,
            action=stored["action"],
            command_id=stored["commandId"],
            task_token=stored["taskToken"],
            sent_at=sent_at,
            ticket=int(stored["ticket"]),
        )

    def answer(self, charge_point_id: str, message_id: str) -> CallAnswer | None:
        stored = self._table.get_item(
            Key={"chargePointId": charge_point_id, "messageId": message_id}, ConsistentRead=True
        ).get("Item")
        answered_at = timestamp(stored.get("answeredAt")) if stored else None
        if stored is None or answered_at is None:
            return None
        error = stored.get("error")
        return CallAnswer(
            answered_at=answered_at,
            response=from_json_value(stored["response"]) if "response" in stored else None,
            error=CommandError(str(error["errorCode"]), str(error["errorDescription"])) if error else None,
        )
