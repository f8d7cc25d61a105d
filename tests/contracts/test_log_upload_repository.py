"""Log upload records: every field kept, newest first (found and paged), replaced only from the status and command id
read, kept apart from the charger's record and deleted with it."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from csms.composition import Repositories
from csms.domain.log_uploads import ConcurrentUploadChangeError, LogType, LogUpload, LogUploadRepository, UploadStatus
from csms.domain.ports import ChargePointRepository

AT = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def log_uploads(repositories: Repositories) -> LogUploadRepository:
    return repositories.log_uploads


def upload(upload_id: str, minutes: int = 0, **fields: object) -> LogUpload:
    made = LogUpload(
        upload_id=upload_id,
        charge_point_id="CP-1",
        log_type=LogType.DIAGNOSTICS,
        action="GetLog",
        request_id=42,
        requested_at=AT + timedelta(minutes=minutes),
    )
    return replace(made, **fields)  # type: ignore[arg-type]


def test_every_field_is_kept(log_uploads: LogUploadRepository) -> None:
    made = upload(
        "u-1",
        log_type=LogType.SECURITY,
        action="GetDiagnostics",
        status=UploadStatus.UPLOAD_FAILED,
        command_id="cmd-1",
        file_name="diag.zip",
        finished_at=AT + timedelta(minutes=3),
        reason="disk full",
    )
    log_uploads.create(made)

    assert log_uploads.find("CP-1", lambda _: True) == made
    assert log_uploads.page("CP-1", 10).items == [made]


def test_uploads_are_found_and_paged_newest_first(log_uploads: LogUploadRepository) -> None:
    for index in range(5):
        log_uploads.create(upload(f"u-{index}", minutes=index, request_id=index))
    log_uploads.create(replace(upload("other"), charge_point_id="CP-2"))

    assert log_uploads.find("CP-1", lambda u: u.request_id < 3) == upload("u-2", minutes=2, request_id=2)
    assert log_uploads.find("CP-1", lambda u: u.request_id > 10) is None
    first = log_uploads.page("CP-1", 3)
    second = log_uploads.page("CP-1", 3, first.next_token)
    assert [u.upload_id for u in first.items + second.items] == ["u-4", "u-3", "u-2", "u-1", "u-0"]
    assert second.next_token is None


def test_an_upload_is_replaced_only_from_what_was_read(log_uploads: LogUploadRepository) -> None:
    requested = upload("u-1")
    log_uploads.create(requested)
    named = replace(requested, command_id="cmd-1")
    log_uploads.replace(requested, named)

    with pytest.raises(ConcurrentUploadChangeError):  # the command id changed since
        log_uploads.replace(requested, replace(requested, status=UploadStatus.ACCEPTED))
    accepted = replace(named, status=UploadStatus.ACCEPTED)
    log_uploads.replace(named, accepted)
    with pytest.raises(ConcurrentUploadChangeError):  # the status changed since
        log_uploads.replace(named, replace(named, status=UploadStatus.FAILED))
    assert log_uploads.find("CP-1", lambda _: True) == accepted


def test_uploads_are_not_part_of_the_charger_and_go_with_it(
    log_uploads: LogUploadRepository, charge_points: ChargePointRepository
) -> None:
    charge_points.register("CP-1", None, AT)
    log_uploads.create(upload("u-1"))
    charger = charge_points.get("CP-1")

    assert charger is not None
    assert charger.charge_point_id == "CP-1"
    charge_points.delete("CP-1")
    assert log_uploads.page("CP-1", 10).items == []
