"""Calls between the CSMS and a charge point, keyed by charge point and OCPP message id."""

from datetime import datetime, timedelta
from typing import Any

from csms.adapters.dynamodb.codec import encode, json_value

CALL_RECORD_LIFETIME = timedelta(days=30)


class DynamoDbCallRepository:
    def __init__(self, table: Any) -> None:
        self._table = table

    def record_answer(
        self,
        charge_point_id: str,
        message_id: str,
        at: datetime,
        payload: dict[str, object] | None = None,
        error: dict[str, object] | None = None,
    ) -> None:
        answer_name, answer = ("response", payload) if error is None else ("error", error)
        self._table.update_item(
            Key={"chargePointId": charge_point_id, "messageId": message_id},
            UpdateExpression="SET #answeredAt = :at, #answer = :answer, #expiresAt = :expiresAt",
            ExpressionAttributeNames={"#answeredAt": "answeredAt", "#answer": answer_name, "#expiresAt": "expiresAt"},
            ExpressionAttributeValues={
                ":at": encode(at),
                ":answer": json_value(answer),
                ":expiresAt": int((at + CALL_RECORD_LIFETIME).timestamp()),
            },
        )
