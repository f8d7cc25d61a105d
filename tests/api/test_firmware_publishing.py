"""POST /api/firmware/{id}/publish and /unpublish through the operator API's handler, on moto (tables, S3, a state
machine that does nothing): a registered, uploaded image sent to a 2.0.1 local controller as PublishFirmware (a
download URL within the schema's 512 characters, the image's MD5, a requestId, the retries asked for) followed to
Published, or UnpublishFirmware of its MD5; 404, 409, 422 and 403 as documented."""

import hashlib
from typing import Any

import boto3
import pytest

from csms.composition import Services
from csms.wire.versions import OcppVersion
from tests.api.conftest import FLEET_FILES_BUCKET, OperatorApi, person_claims
from tests.wired import WiredServices, handler_services

CONTENT = b"controller firmware" * 1000
MD5 = hashlib.md5(CONTENT).hexdigest()  # noqa: S324 - OCPP's checksum


@pytest.fixture
def services(state_machine: Any, fleet_files: str, monkeypatch: pytest.MonkeyPatch) -> WiredServices:
    services = handler_services()
    services.charge_points.connected("LC-201", "conn-1", OcppVersion.V201)
    services.charge_points.connected("CP-16", "conn-2", OcppVersion.V16)
    return services


def registered(api: OperatorApi, uploaded: bool = True) -> str:
    response = api.request("POST", "/api/firmware", {"vendor": "ACME", "model": "LC", "version": "1.0"})
    assert response.status == 201, response.text
    firmware_id: str = response.body["firmwareId"]
    if uploaded:
        boto3.client("s3").put_object(Bucket=FLEET_FILES_BUCKET, Key=f"firmware/{firmware_id}", Body=CONTENT)
    return firmware_id


def command_of(api: OperatorApi, response: Any) -> dict[str, Any]:
    assert response.status == 202, response.text
    command: dict[str, Any] = api.get(f"/api/commands/{response.body['commandId']}").body
    return command


def test_publish_sends_publish_firmware_with_a_download_url_the_md5_and_a_request_id(
    api: OperatorApi, services: Services
) -> None:
    firmware_id = registered(api)

    response = api.request(
        "POST", f"/api/firmware/{firmware_id}/publish", {"chargerId": "LC-201", "retries": 3, "retryInterval": 60}
    )

    command = command_of(api, response)
    assert (command["chargerId"], command["action"]) == ("LC-201", "PublishFirmware")
    request = command["request"]
    assert (request["checksum"], request["retries"], request["retryInterval"]) == (MD5, 3, 60)
    assert isinstance(request["requestId"], int)
    assert f"/firmware/{firmware_id}" in request["location"]
    assert len(request["location"]) <= 512
    assert command["followUp"] == {
        "kind": "FirmwarePublished",
        "timeoutSeconds": services.settings.firmware_update_timeout_seconds,
    }


def test_unpublish_sends_unpublish_firmware_with_the_md5(api: OperatorApi, services: Services) -> None:
    firmware_id = registered(api)

    response = api.request("POST", f"/api/firmware/{firmware_id}/unpublish", {"chargerId": "LC-201"})

    command = command_of(api, response)
    assert (command["action"], command["request"], command["followUp"]) == (
        "UnpublishFirmware",
        {"checksum": MD5},
        None,
    )


@pytest.mark.parametrize("action", ["publish", "unpublish"])
def test_what_cannot_be_sent_is_refused_and_nothing_is_sent(api: OperatorApi, services: Services, action: str) -> None:
    firmware_id = registered(api)
    not_uploaded = registered(api, uploaded=False)

    def status(firmware: str, charger_id: str) -> tuple[int, str]:
        response = api.request("POST", f"/api/firmware/{firmware}/{action}", {"chargerId": charger_id})
        return response.status, response.body.get("message", "")

    assert status("no-such-image", "LC-201") == (404, "No firmware no-such-image")
    assert status(firmware_id, "LC-NONE") == (404, "No charge point LC-NONE")
    assert status(not_uploaded, "LC-201")[0] == 409
    response = api.request("POST", f"/api/firmware/{firmware_id}/{action}", {"chargerId": "CP-16"})
    assert response.status == 422, response.text
    assert response.body["reasons"] == [
        "chargerId: CP-16 speaks OCPP 1.6; local firmware distribution (PublishFirmware) is OCPP 2.0.1"
    ]
    assert api.get("/api/commands").body["items"] == []


def test_operators_publish_and_viewers_may_not(api: OperatorApi, services: Services) -> None:
    firmware_id = registered(api)
    viewer = OperatorApi(person_claims("vera", "[viewers]"))
    operator = OperatorApi(person_claims("otto", "[operators]"))

    for action in ("publish", "unpublish"):
        path = f"/api/firmware/{firmware_id}/{action}"
        assert viewer.request("POST", path, {"chargerId": "LC-201"}).status == 403
        assert operator.request("POST", path, {"chargerId": "LC-201"}).status == 202
