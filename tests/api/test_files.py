"""/api/files/{token} through the operator API's handler, on moto (tables, S3): a charger given a short link (GetLog
on AWS, where the presigned URL carries a session token of a thousand characters) PUTs its file through it without
an API token; a GET link answers 307 to a presigned GET; anything else is 404."""

import base64
from datetime import timedelta
from typing import Any, cast

import boto3
import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext

from csms import constants
from csms.composition import get_services
from csms.domain.short_links import LinkMethod, ShortLinks
from csms.local.lambda_events import http_api_event, lambda_context
from csms.settings import get_settings
from csms.timeutil import SystemClock
from csms.wire.versions import OcppVersion
from functions.operator_api import handler
from tests.api.conftest import API, FLEET_FILES_BUCKET, OperatorApi
from tests.wired import WiredServices, handler_services

PUBLIC_API_URL = "https://abcdef1234.execute-api.eu-central-1.amazonaws.com/api/"
KEY = "logs/CP-201/upload-1"
BINARY = bytes(range(256)) * 64


@pytest.fixture
def services(state_machine: Any, fleet_files: str, monkeypatch: pytest.MonkeyPatch) -> WiredServices:
    monkeypatch.setenv(constants.ENV_PUBLIC_API_URL, PUBLIC_API_URL)
    get_settings.cache_clear()
    get_services.cache_clear()
    services = handler_services()
    services.charge_points.connected("CP-201", "conn-1", OcppVersion.V201)
    return services


def link(services: WiredServices, method: LinkMethod, expires: timedelta = timedelta(hours=1)) -> str:
    """The path of a new short link to KEY."""
    url = ShortLinks(services.repositories.short_links, PUBLIC_API_URL, SystemClock()).url(KEY, method, expires)
    return url.removeprefix(PUBLIC_API_URL.removesuffix("/api/"))


def charger_request(method: str, path: str, body: bytes = b"") -> dict[str, Any]:
    """A request as API Gateway hands it over from a route without authorizer: no claims, a binary body in base64."""
    event = http_api_event(
        API,
        method=method,
        raw_path=path,
        raw_query="",
        query=[],
        headers=[("content-type", "application/octet-stream")],
        body=body,
        source_ip="192.0.2.7",
    )
    return cast(dict[str, Any], handler(event, cast(LambdaContext, lambda_context("operator_api"))))


def stored(key: str) -> bytes:
    return cast(bytes, boto3.client("s3").get_object(Bucket=FLEET_FILES_BUCKET, Key=key)["Body"].read())


def test_get_log_on_aws_is_given_a_short_link_the_charger_puts_its_file_to(
    api: OperatorApi, services: WiredServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_SESSION_TOKEN", base64.b64encode(bytes(800)).decode())  # as a Lambda's: 1,068 characters
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)  # its credentials are read once per session
    response = api.request("POST", "/api/chargers/CP-201/logs", {"type": "Diagnostics"})
    assert response.status == 202, response.text
    command = api.get(f"/api/commands/{response.body['commandId']}").body
    location = command["request"]["log"]["remoteLocation"]
    assert location.startswith(f"{PUBLIC_API_URL}files/")
    assert len(location) <= 512

    answer = charger_request("PUT", location.removeprefix(PUBLIC_API_URL.removesuffix("/api/")), BINARY)

    assert answer["statusCode"] == 200, answer
    assert stored(f"logs/CP-201/{response.body['uploadId']}") == BINARY
    [listed] = api.get("/api/chargers/CP-201/logs").body["items"]
    assert listed["status"] == "Uploaded"


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_download_link_redirects_to_a_presigned_get(services: WiredServices, method: str) -> None:
    boto3.client("s3").put_object(Bucket=FLEET_FILES_BUCKET, Key=KEY, Body=b"firmware")

    answer = charger_request(method, link(services, LinkMethod.GET))

    assert answer["statusCode"] == 307, answer
    location = answer["headers"]["Location"]
    assert f"/{KEY}?" in location
    assert "X-Amz-Signature=" in location
    assert "X-Amz-Expires=300" in location


def test_a_link_is_404_for_the_other_method_once_expired_or_unknown(services: WiredServices) -> None:
    upload, download = link(services, LinkMethod.PUT), link(services, LinkMethod.GET)
    expired = link(services, LinkMethod.PUT, timedelta(seconds=-1))

    answers = [
        charger_request("GET", upload),
        charger_request("PUT", download, b"x"),
        charger_request("PUT", expired, b"x"),
        charger_request("PUT", "/api/files/AAAAAAAAAAAAAAAAAAAAAA", b"x"),
    ]

    assert [answer["statusCode"] for answer in answers] == [404] * 4
    assert {answer["body"] for answer in answers} == {answers[0]["body"]}  # no hint which
    assert boto3.client("s3").list_objects_v2(Bucket=FLEET_FILES_BUCKET).get("KeyCount") == 0


def test_a_body_over_what_a_lambda_request_carries_is_413(services: WiredServices) -> None:
    answer = charger_request("PUT", link(services, LinkMethod.PUT), bytes(4_700_001))

    assert answer["statusCode"] == 413
    assert boto3.client("s3").list_objects_v2(Bucket=FLEET_FILES_BUCKET).get("KeyCount") == 0
