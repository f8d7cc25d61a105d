"""Log uploads: which message asks each version for which log, and how its answer, failures, status notifications
and the file in the bucket move the upload on (over the fakes)."""

from datetime import timedelta
from typing import Any

import pytest

from csms.commands.errors import InvalidCommandError, UnknownChargePointError, VersionUnknownError
from csms.commands.models import Command
from csms.commands.workflow_definition import Step
from csms.domain.log_uploads import LogType, LogUpload, UploadStatus
from csms.wire.versions import OcppVersion
from tests.unit.stations import Station
from tests.unit.stations import answer_on_the_workflow as answer
from tests.wired import WiredServices

V16, V201 = "CP-1", "CP-2"


@pytest.fixture
def services(fake_services: WiredServices) -> WiredServices:
    for charge_point_id, version in ((V16, OcppVersion.V16), (V201, OcppVersion.V201)):
        fake_services.repositories.charge_points.register(charge_point_id, None, fake_services.clock.now())
        fake_services.charge_points.connected(charge_point_id, f"conn-{charge_point_id}", version)
    return fake_services


def command_of(services: WiredServices, upload: LogUpload) -> Command:
    assert upload.command_id is not None
    command = services.commands.get(upload.command_id)
    assert command is not None
    return command


def stored(services: WiredServices, upload: LogUpload) -> LogUpload:
    found = services.repositories.log_uploads.find(upload.charge_point_id, lambda u: u.upload_id == upload.upload_id)
    assert found is not None
    return found


def notify(services: WiredServices, charge_point_id: str, action: str, payload: dict[str, Any]) -> None:
    version = OcppVersion.V16 if charge_point_id == V16 else OcppVersion.V201
    Station(services, version, charge_point_id, f"conn-{charge_point_id}").call(action, payload)


def fail(services: WiredServices, command: Command, error: str) -> None:
    state = {"commandId": command.command_id, "failure": {"Error": error, "Cause": "no answer"}}
    services.command_workflow.perform(Step.RECORD_FAILURE, state, "token")


def test_a_1_6_charger_is_sent_get_diagnostics_with_the_upload_url_and_the_window(services: WiredServices) -> None:
    since = services.clock.now() - timedelta(days=1)

    upload = services.log_uploads.request(V16, LogType.DIAGNOSTICS, since, services.clock.now())

    command = command_of(services, upload)
    assert command.action == "GetDiagnostics"
    assert command.request == {
        "location": f"https://files.example/logs/{V16}/{upload.upload_id}?put&expires=3600",
        "startTime": "2026-11-22T12:00:00.000Z",
        "stopTime": "2026-11-23T12:00:00.000Z",
    }
    assert upload.status is UploadStatus.REQUESTED


@pytest.mark.parametrize(
    ("charge_point_id", "log_type", "ocpp_log_type"),
    [
        (V16, LogType.SECURITY, "SecurityLog"),
        (V201, LogType.SECURITY, "SecurityLog"),
        (V201, LogType.DIAGNOSTICS, "DiagnosticsLog"),
    ],
)
def test_get_log_carries_the_log_type_a_request_id_and_the_remote_location(
    services: WiredServices, charge_point_id: str, log_type: LogType, ocpp_log_type: str
) -> None:
    upload = services.log_uploads.request(charge_point_id, log_type)

    command = command_of(services, upload)
    assert command.action == "GetLog"
    assert command.request == {
        "logType": ocpp_log_type,
        "requestId": upload.request_id,
        "log": {"remoteLocation": f"https://files.example/logs/{charge_point_id}/{upload.upload_id}?put&expires=3600"},
    }


@pytest.mark.parametrize(("charge_point_id", "log_type"), [(V16, LogType.SECURITY), (V201, LogType.DIAGNOSTICS)])
def test_get_log_is_given_a_short_link_when_the_presigned_url_is_longer_than_its_512_characters(
    services: WiredServices, charge_point_id: str, log_type: LogType
) -> None:
    services.repositories.files.signature_length = 1100  # as a Lambda's session token makes it

    upload = services.log_uploads.request(charge_point_id, log_type)

    location = command_of(services, upload).request["log"]["remoteLocation"]
    assert location.startswith("https://api.example/files/")
    assert services.repositories.files.short_links[location.rsplit("/", 1)[1]] == ("PUT", upload.key)


def test_get_diagnostics_is_given_the_presigned_url_of_any_length(services: WiredServices) -> None:
    services.repositories.files.signature_length = 1100

    upload = services.log_uploads.request(V16, LogType.DIAGNOSTICS)

    location = command_of(services, upload).request["location"]
    assert location.startswith(f"https://files.example/logs/{V16}/{upload.upload_id}?put&expires=3600&signature=")
    assert len(location) > 1100


def test_a_2_0_1_upload_goes_from_accepted_through_uploading_to_uploaded_by_its_request_id(
    services: WiredServices,
) -> None:
    other = services.log_uploads.request(V201, LogType.DIAGNOSTICS)
    upload = services.log_uploads.request(V201, LogType.SECURITY)

    answer(services, command_of(services, upload), {"status": "Accepted", "filename": "security.log"})
    assert (stored(services, upload).status, stored(services, upload).file_name) == (
        UploadStatus.ACCEPTED,
        "security.log",
    )
    notify(services, V201, "LogStatusNotification", {"status": "Uploading", "requestId": upload.request_id})
    assert stored(services, upload).status is UploadStatus.UPLOADING
    services.clock.advance(seconds=30)
    notify(services, V201, "LogStatusNotification", {"status": "Uploaded", "requestId": upload.request_id})

    finished = stored(services, upload)
    assert (finished.status, finished.finished_at) == (UploadStatus.UPLOADED, services.clock.now())
    assert stored(services, other).status is UploadStatus.REQUESTED


def test_a_1_6_diagnostics_notification_moves_the_newest_unfinished_diagnostics_upload(services: WiredServices) -> None:
    security = services.log_uploads.request(V16, LogType.SECURITY)
    upload = services.log_uploads.request(V16, LogType.DIAGNOSTICS)
    answer(services, command_of(services, upload), {"fileName": "diag.zip"})

    notify(services, V16, "DiagnosticsStatusNotification", {"status": "UploadFailed"})

    assert stored(services, upload).status is UploadStatus.UPLOAD_FAILED
    assert stored(services, security).status is UploadStatus.REQUESTED
    notify(services, V16, "DiagnosticsStatusNotification", {"status": "Uploaded"})  # none unfinished: nothing moves
    assert stored(services, upload).status is UploadStatus.UPLOAD_FAILED


def test_the_1_6_security_extension_log_status_names_its_request(services: WiredServices) -> None:
    upload = services.log_uploads.request(V16, LogType.SECURITY)

    notify(services, V16, "LogStatusNotification", {"status": "PermissionDenied", "requestId": upload.request_id})

    assert stored(services, upload).status is UploadStatus.PERMISSION_DENIED


@pytest.mark.parametrize(
    ("charge_point_id", "log_type", "response", "reason"),
    [
        (V201, LogType.DIAGNOSTICS, {"status": "Rejected"}, "GetLog Rejected"),
        (V16, LogType.DIAGNOSTICS, {}, "No diagnostics available"),
    ],
)
def test_a_refused_request_is_rejected_and_stays_so(
    services: WiredServices, charge_point_id: str, log_type: LogType, response: dict[str, Any], reason: str
) -> None:
    upload = services.log_uploads.request(charge_point_id, log_type)

    answer(services, command_of(services, upload), response)

    rejected = stored(services, upload)
    assert (rejected.status, rejected.reason, rejected.finished_at) == (
        UploadStatus.REJECTED,
        reason,
        services.clock.now(),
    )


def test_a_failed_command_fails_the_upload_with_the_reason(services: WiredServices) -> None:
    upload = services.log_uploads.request(V16, LogType.SECURITY)

    fail(services, command_of(services, upload), "NotImplemented")

    failed = stored(services, upload)
    assert failed.status is UploadStatus.FAILED
    assert str(failed.reason).startswith("NotImplemented")


def test_an_answer_after_the_upload_finished_only_names_the_file(services: WiredServices) -> None:
    upload = services.log_uploads.request(V201, LogType.DIAGNOSTICS)
    notify(services, V201, "LogStatusNotification", {"status": "Uploaded", "requestId": upload.request_id})

    answer(services, command_of(services, upload), {"status": "Accepted", "filename": "late.log"})

    assert (stored(services, upload).status, stored(services, upload).file_name) == (UploadStatus.UPLOADED, "late.log")


def test_a_listed_upload_whose_file_is_in_the_bucket_is_uploaded_with_a_download_url(services: WiredServices) -> None:
    waiting = services.log_uploads.request(V201, LogType.SECURITY)
    services.clock.advance(seconds=1)
    upload = services.log_uploads.request(V201, LogType.DIAGNOSTICS)
    services.repositories.files.put_file(upload.key, b"log")

    page = services.log_uploads.list(V201, 10)

    assert [(listed.upload.upload_id, listed.upload.status) for listed in page.items] == [
        (upload.upload_id, UploadStatus.UPLOADED),
        (waiting.upload_id, UploadStatus.REQUESTED),
    ]
    assert page.items[0].download_url == f"https://files.example/{upload.key}?get&expires=900"
    assert page.items[1].download_url is None
    assert stored(services, upload).status is UploadStatus.UPLOADED


def test_the_listing_is_paged_newest_first(services: WiredServices) -> None:
    uploads = []
    for _ in range(3):
        uploads.append(services.log_uploads.request(V16, LogType.DIAGNOSTICS))
        services.clock.advance(seconds=1)

    first = services.log_uploads.list(V16, 2)
    second = services.log_uploads.list(V16, 2, first.next_token)

    listed = [listed.upload.upload_id for listed in first.items + second.items]
    assert listed == [upload.upload_id for upload in reversed(uploads)]
    assert second.next_token is None


def test_what_cannot_be_asked_is_refused_and_nothing_is_recorded(services: WiredServices) -> None:
    services.repositories.charge_points.register("CP-NEW", None, services.clock.now())
    now = services.clock.now()

    with pytest.raises(InvalidCommandError):
        services.log_uploads.request(V201, LogType.DIAGNOSTICS, now, now - timedelta(hours=1))
    with pytest.raises(UnknownChargePointError):
        services.log_uploads.request("CP-NONE", LogType.DIAGNOSTICS)
    with pytest.raises(VersionUnknownError):
        services.log_uploads.request("CP-NEW", LogType.DIAGNOSTICS)
    with pytest.raises(UnknownChargePointError):
        services.log_uploads.list("CP-NONE", 10)
    assert services.log_uploads.list(V201, 10).items == []
