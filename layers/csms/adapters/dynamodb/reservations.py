"""Reservations, keyed by charge point and the reservation id the CSMS gave in ReserveNow."""

from datetime import datetime
from typing import Any

from boto3.dynamodb.conditions import Attr, Key

from csms.adapters.dynamodb.codec import encode, integer, item
from csms.adapters.dynamodb.paging import read_page
from csms.domain.models import Reservation, ReservationStatus
from csms.domain.pagination import Page
from csms.tables import RESERVATIONS
from csms.timeutil import parse_timestamp


class DynamoDbReservationRepository:
    def __init__(self, table: Any) -> None:
        self._table = table
        self._client = table.meta.client

    def put(self, reservation: Reservation) -> None:
        self._table.put_item(
            Item=item(
                chargePointId=reservation.charge_point_id,
                reservationId=reservation.reservation_id,
                idToken=reservation.id_token,
                expiry=reservation.expiry,
                status=reservation.status.value,
                updatedAt=reservation.updated_at,
                connectorId=reservation.connector_id,
                evseId=reservation.evse_id,
                transactionId=reservation.transaction_id,
            )
        )

    def get(self, charge_point_id: str, reservation_id: int) -> Reservation | None:
        entry = self._table.get_item(Key={"chargePointId": charge_point_id, "reservationId": reservation_id}).get(
            "Item"
        )
        return _reservation(entry) if entry else None

    def end(
        self,
        charge_point_id: str,
        reservation_id: int,
        status: ReservationStatus,
        at: datetime,
        transaction_id: str | None = None,
    ) -> bool:
        expression = "SET #status = :status, #updatedAt = :at"
        names = {"#status": "status", "#updatedAt": "updatedAt"}
        values: dict[str, Any] = {
            ":status": status.value,
            ":at": encode(at),
            ":reserved": ReservationStatus.RESERVED.value,
        }
        if transaction_id is not None:
            expression += ", #transactionId = :transactionId"
            names["#transactionId"] = "transactionId"
            values[":transactionId"] = transaction_id
        try:
            self._table.update_item(
                Key={"chargePointId": charge_point_id, "reservationId": reservation_id},
                UpdateExpression=expression,
                ConditionExpression="#status = :reserved",  # false for a missing item too
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def page(
        self,
        limit: int,
        next_token: str | None = None,
        charge_point_id: str | None = None,
        status: ReservationStatus | None = None,
    ) -> Page[Reservation]:
        filters: dict[str, Any] = {"FilterExpression": Attr("status").eq(status.value)} if status else {}
        if charge_point_id is None:
            page = read_page(self._table.scan, RESERVATIONS, limit, next_token, **filters)
        else:
            page = read_page(
                self._table.query,
                RESERVATIONS,
                limit,
                next_token,
                KeyConditionExpression=Key("chargePointId").eq(charge_point_id),
                **filters,
            )
        return Page([_reservation(entry) for entry in page.items], page.next_token)


def _reservation(entry: dict[str, Any]) -> Reservation:
    return Reservation(
        charge_point_id=entry["chargePointId"],
        reservation_id=int(entry["reservationId"]),
        id_token=entry["idToken"],
        expiry=parse_timestamp(entry["expiry"]),
        status=ReservationStatus(entry["status"]),
        updated_at=parse_timestamp(entry["updatedAt"]),
        connector_id=integer(entry.get("connectorId")),
        evse_id=integer(entry.get("evseId")),
        transaction_id=entry.get("transactionId"),
    )
