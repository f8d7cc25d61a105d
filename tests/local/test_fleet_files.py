"""The FleetFiles bucket of `csms local`: moto's S3 at the front door's `/s3/`, where the presigned URLs the
handlers make point, so that a charger on the machine can PUT and GET with them over plain HTTP."""

from __future__ import annotations

import asyncio
import urllib.request
from datetime import timedelta

from csms.composition import dynamodb_repositories
from csms.local.runtime import LocalRuntime, RuntimeOptions
from csms.settings import get_settings
from tests.local.conftest import FakeHandlers

KEY = "logs/CP-1/upload-1"


def _http(method: str, url: str, body: bytes | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, method=method)  # noqa: S310 - a local http URL
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


async def test_a_file_put_to_its_upload_url_is_stored_and_served_at_its_download_url(fakes: FakeHandlers) -> None:
    runtime = LocalRuntime(RuntimeOptions(port=0, table_prefix="csms-test-files"), load=fakes.load)
    await runtime.start()
    try:
        files = dynamodb_repositories(get_settings()).files  # as the handlers build it
        upload = files.upload_url(KEY, timedelta(minutes=5))
        assert upload.startswith(f"http://127.0.0.1:{runtime.port}/s3/csms-test-files-fleet-files/{KEY}?")
        assert not files.exists(KEY)

        assert (await asyncio.to_thread(_http, "PUT", upload, b"log line\n" * 1000))[0] == 200

        assert files.exists(KEY)
        status, body = await asyncio.to_thread(_http, "GET", files.download_url(KEY, timedelta(minutes=5)))
        assert (status, body) == (200, b"log line\n" * 1000)
        missing = files.download_url("logs/CP-1/none", timedelta(minutes=5))
        assert (await asyncio.to_thread(_http, "GET", missing))[0] == 404
    finally:
        await runtime.stop()
