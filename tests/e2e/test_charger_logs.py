"""Logs to S3 end to end on the embedded runtime: real 1.6 and 2.0.1 charge points are asked for their logs
(GetDiagnostics, GetLog), HTTP PUT a file to the presigned URL they are given (moto S3 at the front door) and report
with DiagnosticsStatusNotification / LogStatusNotification; the operator lists the upload and downloads the very
bytes through its download URL. A charger that reports a failed upload shows that failure. A short file link (what a
charger is given on AWS, where a presigned URL is too long for GetLog) stores what a real HTTP client PUTs to it,
and redirects a GET to the file."""

import asyncio
import urllib.request
from datetime import timedelta
from typing import Any

import pytest
from ocpp.routing import after, on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call as call16
from ocpp.v16 import call_result as result16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as result201

from csms.composition import dynamodb_repositories
from csms.local.runtime import LocalRuntime
from csms.settings import get_settings
from tests.e2e.charge_points import connected
from tests.e2e.conftest import OperatorApi

pytestmark = pytest.mark.e2e

WAIT_SECONDS = 30


def content_of(charge_point_id: str, log: str) -> bytes:
    return f"{charge_point_id} {log} log\n".encode() * 2000 + bytes(range(256))


def put(url: str, body: bytes) -> int:
    request = urllib.request.Request(url, data=body, method="PUT")  # noqa: S310 - the URL the CSMS gave
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return int(response.status)


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - a presigned download URL
        return bytes(response.read())


class Uploading:
    """A station that uploads its diagnostics, and reports a security log upload as failed without sending it."""

    id: str  # the charge point's, as the ocpp library's ChargePoint has it
    put_statuses: list[int]

    async def upload(self, url: str, log: str) -> None:
        self.put_statuses.append(await asyncio.to_thread(put, url, content_of(self.id, log)))


def remote_location(log: dict[str, Any]) -> str:
    return str(log.get("remote_location") or log["remoteLocation"])


class Station16(ChargePoint16, Uploading):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        ChargePoint16.__init__(self, *args, **kwargs)
        self.put_statuses = []

    @on("GetDiagnostics")
    async def on_get_diagnostics(self, location: str, **_: Any) -> result16.GetDiagnostics:
        return result16.GetDiagnostics(file_name="diagnostics.zip")

    @after("GetDiagnostics")
    async def upload_diagnostics(self, location: str, **_: Any) -> None:
        await self.call(call16.DiagnosticsStatusNotification(status="Uploading"))
        await self.upload(location, "Diagnostics")
        await self.call(call16.DiagnosticsStatusNotification(status="Uploaded"))

    @on("GetLog")
    async def on_get_log(self, log_type: str, request_id: int, log: dict[str, Any], **_: Any) -> result16.GetLog:
        return result16.GetLog(status="Accepted", filename="security.log")

    @after("GetLog")
    async def fail_upload(self, request_id: int, **_: Any) -> None:
        await self.call(call16.LogStatusNotification(status="UploadFailure", request_id=request_id))


class Station201(ChargePoint201, Uploading):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        ChargePoint201.__init__(self, *args, **kwargs)
        self.put_statuses = []

    @on("GetLog")
    async def on_get_log(self, log_type: str, request_id: int, log: dict[str, Any], **_: Any) -> result201.GetLog:
        return result201.GetLog(status="Accepted", filename=f"{log_type}.log")

    @after("GetLog")
    async def upload_log(self, log_type: str, request_id: int, log: dict[str, Any], **_: Any) -> None:
        if log_type == "SecurityLog":
            await self.call(call201.LogStatusNotification(status="PermissionDenied", request_id=request_id))
            return
        await self.call(call201.LogStatusNotification(status="Uploading", request_id=request_id))
        await self.upload(remote_location(log), "Diagnostics")
        await self.call(call201.LogStatusNotification(status="Uploaded", request_id=request_id))


async def finished_upload(api: OperatorApi, charger_id: str, upload_id: str) -> dict[str, Any]:
    for _ in range(WAIT_SECONDS * 4):
        response = await api.request("GET", f"/chargers/{charger_id}/logs")
        assert response.status == 200, response.body
        [upload] = [item for item in response.body["items"] if item["id"] == upload_id]
        if upload["finishedAt"] is not None:
            return upload
        await asyncio.sleep(0.25)
    raise AssertionError(f"upload {upload_id} not finished in time")


@pytest.mark.parametrize(
    ("subprotocol", "station", "action", "security_failure"),
    [
        ("ocpp1.6", Station16, "GetDiagnostics", "UploadFailure"),
        ("ocpp2.0.1", Station201, "GetLog", "PermissionDenied"),
    ],
    ids=["1.6", "2.0.1"],
)
async def test_a_charger_uploads_its_log_which_downloads_byte_for_byte(
    runtime: LocalRuntime,
    api: OperatorApi,
    subprotocol: str,
    station: type[Uploading],
    action: str,
    security_failure: str,
) -> None:
    charger_id = f"CP-LOGS-{subprotocol[-3:]}"
    await api.register_charger(charger_id)
    async with connected(runtime, charger_id, subprotocol, charge_point_class=station) as charge_point:
        asked = await api.request("POST", f"/chargers/{charger_id}/logs", {"type": "Diagnostics"})
        assert asked.status == 202, asked.body
        command = (await api.request("GET", f"/commands/{asked.body['commandId']}")).body
        assert command["action"] == action

        upload = await finished_upload(api, charger_id, asked.body["uploadId"])

        assert upload["status"] == "Uploaded", upload
        assert upload["fileName"] in ("diagnostics.zip", "DiagnosticsLog.log")
        assert charge_point.put_statuses == [200]
        downloaded = await asyncio.to_thread(get, upload["downloadUrl"])
        assert downloaded == content_of(charger_id, "Diagnostics")

        security = await api.request("POST", f"/chargers/{charger_id}/logs", {"type": "Security"})
        assert security.status == 202, security.body
        failed = await finished_upload(api, charger_id, security.body["uploadId"])
        assert (failed["status"], failed["type"], failed["downloadUrl"]) == (security_failure, "Security", None)


async def test_a_short_link_takes_a_binary_put_into_the_bucket_and_redirects_a_get_to_it(runtime: LocalRuntime) -> None:
    files = dynamodb_repositories(get_settings()).files  # as the handlers build it
    key, content = "logs/CP-SHORT/upload-1", bytes(range(256)) * 4000  # every byte value, 1 MB
    short = 100  # csms local's presigned URLs (about 390 characters) do not fit: a short link does
    upload = files.upload_url(key, timedelta(minutes=5), max_length=short)
    assert upload.startswith(f"http://127.0.0.1:{runtime.port}/api/files/")
    assert len(upload) <= short

    assert await asyncio.to_thread(put, upload, content) == 200

    stored = files.describe(key)
    assert stored is not None
    assert stored.size == len(content)
    download = files.download_url(key, timedelta(minutes=5), max_length=short)
    assert download.startswith(f"http://127.0.0.1:{runtime.port}/api/files/")
    assert await asyncio.to_thread(get, download) == content  # through the 307 to the presigned GET
