"""Log uploads: one item per upload in its charger's partition of ChargePoints (deleted with the charger), keyed by
when it was asked for, so a Query reads them newest first."""

from collections.abc import Callable
from typing import Any

from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

from csms.adapters.dynamodb.codec import integer, item, timestamp
from csms.adapters.dynamodb.paging import read_page
from csms.domain.log_uploads import ConcurrentUploadChangeError, LogType, LogUpload, UploadStatus
from csms.domain.pagination import Page
from csms.tables import CHARGE_POINTS
from csms.timeutil import format_timestamp, parse_timestamp

# Sorts after "NOTIFICATION#" (and before "VARIABLE#"): the charge point repository's `get()` never reads it.
UPLOAD_PREFIX = "UPLOAD#"


class DynamoDbLogUploadRepository:
    def __init__(self, charge_points_table: Any) -> None:
        self._table = charge_points_table

    def create(self, upload: LogUpload) -> None:
        self._table.put_item(Item=_item(upload), ConditionExpression=Attr("itemKey").not_exists())

    def replace(self, current: LogUpload, changed: LogUpload) -> None:
        same_command = (
            Attr("commandId").not_exists() if current.command_id is None else Attr("commandId").eq(current.command_id)
        )
        try:
            self._table.put_item(
                Item=_item(changed), ConditionExpression=Attr("status").eq(current.status.value) & same_command
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise ConcurrentUploadChangeError(current.upload_id) from error
            raise

    def find(self, charge_point_id: str, matches: Callable[[LogUpload], bool]) -> LogUpload | None:
        request: dict[str, Any] = _newest_first(charge_point_id)
        while True:
            response = self._table.query(**request)
            for stored in response.get("Items", []):
                upload = _upload(stored)
                if matches(upload):
                    return upload
            if "LastEvaluatedKey" not in response:
                return None
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def page(self, charge_point_id: str, limit: int, next_token: str | None = None) -> Page[LogUpload]:
        page = read_page(self._table.query, CHARGE_POINTS, limit, next_token, **_newest_first(charge_point_id))
        return Page([_upload(stored) for stored in page.items], page.next_token)


def _newest_first(charge_point_id: str) -> dict[str, Any]:
    return {
        "KeyConditionExpression": Key("chargePointId").eq(charge_point_id) & Key("itemKey").begins_with(UPLOAD_PREFIX),
        "ScanIndexForward": False,
    }


def _item(upload: LogUpload) -> dict[str, Any]:
    return item(
        chargePointId=upload.charge_point_id,
        itemKey=f"{UPLOAD_PREFIX}{format_timestamp(upload.requested_at)}#{upload.upload_id}",
        uploadId=upload.upload_id,
        logType=upload.log_type.value,
        action=upload.action,
        requestId=upload.request_id,
        requestedAt=upload.requested_at,
        status=upload.status.value,
        commandId=upload.command_id,
        fileName=upload.file_name,
        finishedAt=upload.finished_at,
        reason=upload.reason,
    )


def _upload(stored: dict[str, Any]) -> LogUpload:
    return LogUpload(
        upload_id=stored["uploadId"],
        charge_point_id=stored["chargePointId"],
        log_type=LogType(stored["logType"]),
        action=stored["action"],
        request_id=int(integer(stored["requestId"]) or 0),
        requested_at=parse_timestamp(stored["requestedAt"]),
        status=UploadStatus(stored["status"]),
        command_id=stored.get("commandId"),
        file_name=stored.get("fileName"),
        finished_at=timestamp(stored.get("finishedAt")),
        reason=stored.get("reason"),
    )
