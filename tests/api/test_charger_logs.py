"""POST and GET /api/chargers/{id}/logs through the operator API's handler, on moto (tables, S3, a state machine that
does nothing): the command sent, the upload listed, Uploaded with a download URL once its file is in the bucket."""

from typing import Any

import boto3
import pytest

from csms.composition import Services
from csms.wire.versions import OcppVersion
from tests.api.conftest import FLEET_FILES_BUCKET, OperatorApi, person_claims
from tests.wired import WiredServices, handler_services

PATH = "/api/chargers/CP-201/logs"


@pytest.fixture
def services(state_machine: Any, fleet_files: str, monkeypatch: pytest.MonkeyPatch) -> WiredServices:
    services = handler_services()
    services.charge_points.connected("CP-201", "conn-1", OcppVersion.V201)
    services.charge_points.connected("CP-16", "conn-2", OcppVersion.V16)
    return services


def test_a_log_is_asked_for_with_get_log_and_listed_until_its_file_is_in_the_bucket(
    api: OperatorApi, services: Services
) -> None:
    response = api.request("POST", PATH, {"type": "Security", "from": "2026-11-22T00:00:00Z"})

    assert response.status == 202, response.text
    upload_id, command_id = response.body["uploadId"], response.body["commandId"]
    command = api.get(f"/api/commands/{command_id}").body
    assert command["action"] == "GetLog"
    request = command["request"]
    assert request["logType"] == "SecurityLog"
    assert request["log"]["oldestTimestamp"] == "2026-11-22T00:00:00.000Z"
    location = request["log"]["remoteLocation"]
    assert f"/logs/CP-201/{upload_id}?" in location
    assert "X-Amz-Signature=" in location

    [listed] = api.get(PATH).body["items"]
    assert (listed["id"], listed["type"], listed["status"], listed["downloadUrl"]) == (
        upload_id,
        "Security",
        "Requested",
        None,
    )

    boto3.client("s3").put_object(Bucket=FLEET_FILES_BUCKET, Key=f"logs/CP-201/{upload_id}", Body=b"security log")
    [listed] = api.get(PATH).body["items"]
    assert listed["status"] == "Uploaded"
    assert listed["finishedAt"] is not None
    assert f"/logs/CP-201/{upload_id}?" in listed["downloadUrl"]


def test_a_1_6_charger_is_asked_with_get_diagnostics(api: OperatorApi, services: Services) -> None:
    response = api.request("POST", "/api/chargers/CP-16/logs", {"type": "Diagnostics"})

    assert response.status == 202, response.text
    command = api.get(f"/api/commands/{response.body['commandId']}").body
    assert command["action"] == "GetDiagnostics"
    assert set(command["request"]) == {"location"}


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"type": "Everything"}, "body.type: Input should be 'Diagnostics' or 'Security'"),
        ({"type": "Security", "from": "2026-11-23T00:00:00Z", "to": "2026-11-22T00:00:00Z"}, "from: after to"),
        ({"type": "Security", "from": "2026-11-23T00:00:00"}, "body.from: Input should have timezone info"),
    ],
)
def test_what_cannot_be_asked_for_is_422_with_the_reason(
    api: OperatorApi, services: Services, body: dict[str, Any], reason: str
) -> None:
    response = api.request("POST", PATH, body)

    assert response.status == 422
    assert response.body["reasons"] == [reason]
    assert api.get(PATH).body["items"] == []


def test_an_unknown_charger_is_404_and_viewers_only_list(api: OperatorApi, services: Services) -> None:
    assert api.request("POST", "/api/chargers/CP-NONE/logs", {"type": "Security"}).status == 404
    assert api.get("/api/chargers/CP-NONE/logs").status == 404

    viewer = OperatorApi(person_claims("vera", "[viewers]"))
    assert viewer.request("POST", PATH, {"type": "Security"}).status == 403
    assert viewer.get(PATH).status == 200


def test_the_uploads_are_paged_newest_first(api: OperatorApi, services: Services) -> None:
    ids = [api.request("POST", PATH, {"type": "Diagnostics"}).body["uploadId"] for _ in range(3)]

    pages = api.pages(PATH, limit=2)

    assert [len(page) for page in pages] == [2, 1]
    assert sorted(upload["id"] for page in pages for upload in page) == sorted(ids)
