"""Asking a charger for its logs, and following the upload to the FleetFiles bucket.

Which message asks (`LogUploads.request`):
- 1.6 Diagnostics: GetDiagnostics, core to every 1.6 charger (`location`, `startTime`/`stopTime`). The security
  extension's GetLog DiagnosticsLog is not used: a charger does not say whether it has the extension, and its
  diagnostics are the same file.
- 1.6 Security: GetLog SecurityLog of the security extension (a charger without it answers CALLERROR
  NotImplemented: Failed).
- 2.0.1: GetLog DiagnosticsLog / SecurityLog.
GetLog carries a requestId (random, per upload) and `log.remoteLocation` with `oldestTimestamp`/`latestTimestamp`.
The upload URL fits the field's maxLength in the official schema (GetLog's 512 characters: a short link where the
presigned URL is longer, as on AWS; GetDiagnostics' `location` has none).

The record is made before the command is sent, so its answer always finds it (`log_upload_progress`); when
listed, an unfinished upload whose file is in the bucket is Uploaded (an S3 PUT lands whole or not at all).
"""

import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

from csms.commands.errors import NOT_SUBMITTED, InvalidCommandError, UnknownChargePointError, VersionUnknownError
from csms.commands.service import CommandService
from csms.commands.validation import validate_command
from csms.domain.file_store import FileStore
from csms.domain.log_uploads import (
    GET_DIAGNOSTICS,
    GET_LOG,
    LogType,
    LogUpload,
    LogUploadRepository,
    UploadStatus,
    change_upload,
)
from csms.domain.pagination import Page
from csms.domain.ports import ChargePointRepository, Clock
from csms.timeutil import format_timestamp
from csms.wire.schema_limits import max_length
from csms.wire.versions import OcppVersion

# How long a charger may take to start its upload, and an operator to start a download.
UPLOAD_URL_VALIDITY = timedelta(hours=1)
DOWNLOAD_URL_VALIDITY = timedelta(minutes=15)
_LOG_TYPES = {LogType.DIAGNOSTICS: "DiagnosticsLog", LogType.SECURITY: "SecurityLog"}
# Where each message carries the upload URL.
_LOCATION_FIELDS = {GET_DIAGNOSTICS: ("location",), GET_LOG: ("log", "remoteLocation")}


@dataclass(frozen=True)
class ListedUpload:
    upload: LogUpload
    download_url: str | None  # presigned GET, once uploaded


class LogUploads:
    def __init__(
        self,
        uploads: LogUploadRepository,
        charge_points: ChargePointRepository,
        commands: CommandService,
        files: FileStore,
        clock: Clock,
    ) -> None:
        self._uploads = uploads
        self._charge_points = charge_points
        self._commands = commands
        self._files = files
        self._clock = clock

    def request(
        self, charge_point_id: str, log_type: LogType, since: datetime | None = None, until: datetime | None = None
    ) -> LogUpload:
        """Ask the charger for its log (between `since` and `until`, when given) through the command workflow.

        Raises what `CommandService.submit` raises (nothing is then sent; an upload refused by the charger's full
        queue is recorded Failed), `InvalidCommandError` for times that cannot be right or a request its version's
        schema refuses (nothing recorded).
        """
        if since is not None and until is not None and since > until:
            raise InvalidCommandError(["from: after to"])
        version = self._version(charge_point_id)
        upload = LogUpload(
            upload_id=str(uuid4()),
            charge_point_id=charge_point_id,
            log_type=log_type,
            action=GET_DIAGNOSTICS if version is OcppVersion.V16 and log_type is LogType.DIAGNOSTICS else GET_LOG,
            request_id=secrets.randbelow(2**31 - 1) + 1,
            requested_at=self._clock.now(),
        )
        location_limit = max_length(version, upload.action, *_LOCATION_FIELDS[upload.action])
        location = self._files.upload_url(upload.key, UPLOAD_URL_VALIDITY, location_limit)
        payload = _request_payload(upload, location, since, until)
        validate_command(version, upload.action, payload)
        self._uploads.create(upload)
        try:
            command = self._commands.submit(charge_point_id, upload.action, payload)
        except NOT_SUBMITTED as error:
            failed = type(error).__name__
            change_upload(self._uploads, upload, lambda u: u.moved_to(UploadStatus.FAILED, self._clock.now(), failed))
            raise
        return change_upload(self._uploads, upload, lambda u: replace(u, command_id=command.command_id))

    def list(self, charge_point_id: str, limit: int, next_token: str | None = None) -> Page[ListedUpload]:
        """Newest first; an unfinished upload whose file is in the bucket is Uploaded. Raises
        `UnknownChargePointError`, `InvalidPageTokenError`."""
        if self._charge_points.get(charge_point_id) is None:
            raise UnknownChargePointError(charge_point_id)
        page = self._uploads.page(charge_point_id, limit, next_token)
        return Page([self._listed(upload) for upload in page.items], page.next_token)

    def _listed(self, upload: LogUpload) -> ListedUpload:
        if not upload.finished and self._files.exists(upload.key):
            upload = change_upload(
                self._uploads, upload, lambda u: u.moved_to(UploadStatus.UPLOADED, self._clock.now())
            )
        uploaded = upload.status is UploadStatus.UPLOADED
        return ListedUpload(upload, self._files.download_url(upload.key, DOWNLOAD_URL_VALIDITY) if uploaded else None)

    def _version(self, charge_point_id: str) -> OcppVersion:
        charge_point = self._charge_points.get(charge_point_id)
        if charge_point is None:
            raise UnknownChargePointError(charge_point_id)
        if charge_point.ocpp_version is None:
            raise VersionUnknownError(charge_point_id)
        return charge_point.ocpp_version


def _request_payload(
    upload: LogUpload, location: str, since: datetime | None, until: datetime | None
) -> dict[str, Any]:
    if upload.action == GET_DIAGNOSTICS:
        times = {"startTime": since, "stopTime": until}
        return {"location": location} | {name: format_timestamp(at) for name, at in times.items() if at is not None}
    window = {"oldestTimestamp": since, "latestTimestamp": until}
    log = {"remoteLocation": location} | {name: format_timestamp(at) for name, at in window.items() if at is not None}
    return {"logType": _LOG_TYPES[upload.log_type], "requestId": upload.request_id, "log": log}
