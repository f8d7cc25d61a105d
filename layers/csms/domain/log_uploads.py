"""Log uploads a charger was asked for (1.6 GetDiagnostics, 1.6 security extension and 2.0.1 GetLog): what each is
at, as its answer and the charger's status notifications tell.

One record per upload, its file at `logs/{chargerId}/{uploadId}` of the FleetFiles bucket. A status notification
names its upload by `requestId` (GetLog), or names none (1.6 DiagnosticsStatusNotification; a requestId is optional
in LogStatusNotification too): then it is the newest unfinished upload asked for by that message.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from csms.domain.pagination import Page

GET_DIAGNOSTICS = "GetDiagnostics"
GET_LOG = "GetLog"
DIAGNOSTICS_STATUS_NOTIFICATION = "DiagnosticsStatusNotification"
LOG_STATUS_NOTIFICATION = "LogStatusNotification"
# The message asking for the upload that each notification reports on.
REPORTED_BY = {DIAGNOSTICS_STATUS_NOTIFICATION: GET_DIAGNOSTICS, LOG_STATUS_NOTIFICATION: GET_LOG}


class LogType(StrEnum):
    DIAGNOSTICS = "Diagnostics"
    SECURITY = "Security"


class UploadStatus(StrEnum):
    REQUESTED = "Requested"  # sent (or on its way); not answered yet
    ACCEPTED = "Accepted"  # the charger will upload
    UPLOADING = "Uploading"
    UPLOADED = "Uploaded"
    REJECTED = "Rejected"  # GetLog Rejected; GetDiagnostics without a fileName (nothing to upload)
    FAILED = "Failed"  # the command failed: offline, no answer, CALLERROR (`reason`)
    # As the charger reports a failed upload (1.6 UploadFailed; 2.0.1 and the security extension the others).
    UPLOAD_FAILED = "UploadFailed"
    UPLOAD_FAILURE = "UploadFailure"
    BAD_MESSAGE = "BadMessage"
    PERMISSION_DENIED = "PermissionDenied"
    NOT_SUPPORTED_OPERATION = "NotSupportedOperation"


UNFINISHED = frozenset({UploadStatus.REQUESTED, UploadStatus.ACCEPTED, UploadStatus.UPLOADING})
# What a status notification's `status` moves an upload to; others (Idle, AcceptedCanceled) change nothing.
NOTIFIED = {
    status.value: status
    for status in UploadStatus
    if status not in {UploadStatus.REQUESTED, UploadStatus.ACCEPTED, UploadStatus.REJECTED, UploadStatus.FAILED}
}


@dataclass(frozen=True)
class LogUpload:
    upload_id: str
    charge_point_id: str
    log_type: LogType
    action: str  # GET_DIAGNOSTICS or GET_LOG: the message that asked for it
    request_id: int  # GetLog's requestId (kept for GetDiagnostics too, unused there)
    requested_at: datetime
    status: UploadStatus = UploadStatus.REQUESTED
    command_id: str | None = None
    file_name: str | None = None  # as the charger named it in its answer
    finished_at: datetime | None = None
    reason: str | None = None

    @property
    def key(self) -> str:
        """Where its file is stored."""
        return f"logs/{self.charge_point_id}/{self.upload_id}"

    @property
    def finished(self) -> bool:
        return self.status not in UNFINISHED

    def moved_to(self, status: UploadStatus, at: datetime, reason: str | None = None) -> "LogUpload":
        """This upload at `status`; a finished one stays as it is (a late or repeated message changes nothing)."""
        if self.finished or status == self.status:
            return self
        finished = status not in UNFINISHED
        return replace(self, status=status, finished_at=at if finished else None, reason=reason or self.reason)


class ConcurrentUploadChangeError(Exception):
    """The upload changed since it was read: read it again and decide anew."""


class LogUploadRepository(Protocol):
    def create(self, upload: LogUpload) -> None: ...

    def replace(self, current: LogUpload, changed: LogUpload) -> None:
        """Store `changed` in the place of `current`, if the stored one still has `current`'s status and command id
        (else `ConcurrentUploadChangeError`)."""
        ...

    def find(self, charge_point_id: str, matches: Callable[[LogUpload], bool]) -> LogUpload | None:
        """The newest of the charger's uploads that `matches`."""
        ...

    def page(self, charge_point_id: str, limit: int, next_token: str | None = None) -> Page[LogUpload]:
        """The charger's uploads, newest first."""
        ...


_MAX_CHANGE_ATTEMPTS = 5


def change_upload(
    uploads: LogUploadRepository, upload: LogUpload, change: Callable[[LogUpload], LogUpload]
) -> LogUpload:
    """Apply `change` to the stored `upload`; after a concurrent change, read it again and change that."""
    current = upload
    for _ in range(_MAX_CHANGE_ATTEMPTS):
        changed = change(current)
        if changed == current:
            return current
        try:
            uploads.replace(current, changed)
        except ConcurrentUploadChangeError:
            found = uploads.find(upload.charge_point_id, lambda stored: stored.upload_id == upload.upload_id)
            if found is None:
                return current
            current = found
            continue
        return changed
    raise ConcurrentUploadChangeError(upload.upload_id)
