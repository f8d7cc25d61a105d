"""/api/chargers/{id}/logs: asking a charger for its diagnostics or security log, uploaded to the FleetFiles bucket,
and the uploads with their download URLs."""

from datetime import datetime
from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from pydantic import AwareDatetime, Field

from csms.api.api_model import ApiModel
from csms.api.errors import responses
from csms.api.models import PageView
from csms.api.openapi import Tag, body_examples
from csms.api.pagination import DEFAULT_PAGE_SIZE, Limit, NextToken
from csms.api.routes.commands import SUBMITTED, submitted
from csms.commands.errors import UnknownChargePointError
from csms.commands.log_uploads import ListedUpload
from csms.composition import get_services
from csms.domain.log_uploads import LogType, UploadStatus

router = Router()

PATH = "/api/chargers/<charger_id>/logs"


class LogRequest(ApiModel):
    type: LogType = Field(description="Diagnostics or Security")
    since: AwareDatetime | None = Field(None, alias="from", description="Oldest entries wanted (RFC 3339)")
    until: AwareDatetime | None = Field(None, alias="to", description="Newest entries wanted (RFC 3339)")


class LogUploadAccepted(ApiModel):
    upload_id: str = Field(description="Listed by GET /api/chargers/{id}/logs")
    command_id: str | None = Field(description="The GetDiagnostics or GetLog command, to follow")


class LogUploadView(ApiModel):
    id: str
    type: LogType
    status: UploadStatus = Field(
        description="Requested, Accepted, Uploading, then Uploaded; or Rejected, Failed (the command failed: "
        "`reason`) or the failure the charger reported (UploadFailed, UploadFailure, BadMessage, PermissionDenied, "
        "NotSupportedOperation)"
    )
    action: str = Field(description="GetDiagnostics or GetLog: the message that asked for it")
    command_id: str | None
    requested_at: datetime
    finished_at: datetime | None
    file_name: str | None = Field(description="As the charger named it in its answer")
    reason: str | None
    download_url: str | None = Field(description="Presigned GET, valid for 15 minutes; only once uploaded")

    @classmethod
    def of(cls, listed: ListedUpload) -> "LogUploadView":
        upload = listed.upload
        return cls(
            id=upload.upload_id,
            type=upload.log_type,
            status=upload.status,
            action=upload.action,
            command_id=upload.command_id,
            requested_at=upload.requested_at,
            finished_at=upload.finished_at,
            file_name=upload.file_name,
            reason=upload.reason,
            download_url=listed.download_url,
        )


@router.post(
    PATH,
    operation_id="requestChargerLog",
    summary="Ask a charger for its log",
    description="Sends, through the command workflow, 1.6 GetDiagnostics (Diagnostics), 1.6 security-extension "
    "GetLog SecurityLog (Security) or 2.0.1 GetLog (DiagnosticsLog / SecurityLog) with a presigned upload URL (HTTP "
    "PUT) of the FleetFiles bucket, and the window `from`/`to` when given. 202 with the upload id; its status "
    "follows the answer and DiagnosticsStatusNotification / LogStatusNotification. 404 unknown charger, 409 one "
    "that never connected, 422 `from` after `to`, 429 too many commands waiting for it.",
    tags=[Tag.CHARGERS],
    status_code=HTTPStatus.ACCEPTED,
    responses=SUBMITTED,
)
def request_charger_log(
    charger_id: str,
    log_request: Annotated[
        LogRequest,
        body_examples(
            last_day=(
                "The diagnostics of one day",
                {"type": "Diagnostics", "from": "2026-11-22T00:00:00Z", "to": "2026-11-23T00:00:00Z"},
            ),
            security=("The security log", {"type": "Security"}),
        ),
    ],
) -> LogUploadAccepted:
    service = get_services().log_uploads
    upload = submitted(
        charger_id, lambda: service.request(charger_id, log_request.type, log_request.since, log_request.until)
    )
    return LogUploadAccepted(upload_id=upload.upload_id, command_id=upload.command_id)


@router.get(
    PATH,
    operation_id="listChargerLogs",
    summary="List a charger's log uploads",
    description="Newest first, paged; an upload whose file is in the bucket is Uploaded (the charger's "
    "notification may come later or never), with a presigned download URL. 404 unknown charger.",
    tags=[Tag.CHARGERS],
    responses=responses(HTTPStatus.NOT_FOUND),
)
def list_charger_logs(
    charger_id: str, limit: Limit = DEFAULT_PAGE_SIZE, next_token: NextToken = None
) -> PageView[LogUploadView]:
    try:
        page = get_services().log_uploads.list(charger_id, limit, next_token)
    except UnknownChargePointError as error:
        raise NotFoundError(f"No charge point {charger_id}") from error
    items = [LogUploadView.of(listed) for listed in page.items]
    return PageView[LogUploadView](items=items, next_token=page.next_token)
