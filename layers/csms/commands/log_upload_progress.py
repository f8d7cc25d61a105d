"""Where a log upload is at, from what the charger says: its answer to GetDiagnostics / GetLog (`answered`: GetLog
Rejected, or a GetDiagnostics without a fileName, which means nothing to upload, is Rejected), a failure of the
command (`failed`: offline, no answer, CALLERROR) and its status notifications (`notified`). A finished upload stays
as it is; an answer that comes after a notification moved the upload on changes only its file name."""

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from csms.commands.models import Command, CommandError
from csms.domain.log_uploads import (
    GET_DIAGNOSTICS,
    NOTIFIED,
    REPORTED_BY,
    LogUpload,
    LogUploadRepository,
    UploadStatus,
    change_upload,
)
from csms.domain.ports import Clock

_ACCEPTED_ANSWERS = frozenset({"Accepted", "AcceptedCanceled"})


class LogUploadProgress:
    def __init__(self, uploads: LogUploadRepository, clock: Clock) -> None:
        self._uploads = uploads
        self._clock = clock

    def answered(self, command: Command, response: dict[str, Any]) -> None:
        """GetDiagnostics / GetLog answered: Accepted with the file's name, or Rejected."""
        upload = self._uploads.find(command.charge_point_id, _asked_by(command))
        if upload is None:
            return
        if command.action == GET_DIAGNOSTICS:
            file_name = response.get("fileName")
            accepted, reason = file_name is not None, "No diagnostics available"
        else:
            file_name = response.get("filename")
            accepted, reason = response["status"] in _ACCEPTED_ANSWERS, f"GetLog {response['status']}"
        status = UploadStatus.ACCEPTED if accepted else UploadStatus.REJECTED

        def answer(current: LogUpload) -> LogUpload:
            named = replace(current, file_name=file_name or current.file_name, command_id=command.command_id)
            if current.status is not UploadStatus.REQUESTED:  # a notification moved it on: the answer only names it
                return named
            return named.moved_to(status, self._clock.now(), None if accepted else reason)

        change_upload(self._uploads, upload, answer)

    def failed(self, command: Command, error: CommandError) -> None:
        upload = self._uploads.find(command.charge_point_id, _asked_by(command))
        if upload is not None:
            reason = f"{error.code}: {error.description}" if error.description else error.code
            change_upload(self._uploads, upload, lambda u: u.moved_to(UploadStatus.FAILED, self._clock.now(), reason))

    def notified(self, charge_point_id: str, notification: str, status: str, request_id: int | None) -> None:
        """A DiagnosticsStatusNotification or LogStatusNotification (`notification`) reported `status`."""
        moved_to = NOTIFIED.get(status)
        if moved_to is None:
            return
        action = REPORTED_BY[notification]

        def reported(upload: LogUpload) -> bool:
            if upload.action != action:
                return False
            return upload.request_id == request_id if request_id is not None else not upload.finished

        upload = self._uploads.find(charge_point_id, reported)
        if upload is not None:
            change_upload(self._uploads, upload, lambda u: u.moved_to(moved_to, self._clock.now()))


def _asked_by(command: Command) -> Callable[[LogUpload], bool]:
    """The upload `command` asked for: by its id, else (its id not recorded yet) by its requestId (GetLog) or as the
    newest unfinished GetDiagnostics without a command."""
    request_id = command.request.get("requestId")

    def matches(upload: LogUpload) -> bool:
        if upload.command_id is not None:
            return upload.command_id == command.command_id
        return upload.action == command.action and (request_id is None or upload.request_id == request_id)

    return matches
