"""/api/campaigns through the operator API's handler on moto: started (202, an execution of the campaign state
machine), read with counts and a page of chargers, paused, resumed and cancelled (409 when not allowed, 404
unknown), refused with every reason (422), and who may do what."""

import json
from typing import Any

import boto3
import pytest

from csms import constants
from csms.composition import get_services
from csms.settings import get_settings
from csms.wire.versions import OcppVersion
from tests.api.conftest import OperatorApi, person_claims
from tests.wired import WiredServices

HEARTBEAT = {
    "kind": "configuration",
    "settings": [
        {"key": "HeartbeatInterval", "value": "300"},
        {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"}, "value": "300"},
    ],
}


@pytest.fixture
def campaign_machine(state_machine: Any, monkeypatch: pytest.MonkeyPatch) -> str:
    """A campaign state machine on moto that does nothing: the tests perform its rounds themselves."""
    arn = str(
        boto3.client("stepfunctions").create_state_machine(
            name="campaigns",
            definition=json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}),
            roleArn="arn:aws:iam::123456789012:role/campaigns",
        )["stateMachineArn"]
    )
    monkeypatch.setenv(constants.ENV_CAMPAIGN_STATE_MACHINE_ARN, arn)
    get_settings.cache_clear()
    get_services.cache_clear()
    return arn


@pytest.fixture
def fleet(campaign_machine: str, services: WiredServices) -> list[str]:
    """Three connected chargers: two 1.6, one 2.0.1."""
    versions = {"CP-1": OcppVersion.V16, "CP-2": OcppVersion.V16, "CP-3": OcppVersion.V201}
    for charger_id, version in versions.items():
        services.charge_points.connected(charger_id, f"conn-{charger_id}", version)
    return list(versions)


def start(api: OperatorApi, charger_ids: list[str], **rollout: Any) -> str:
    body = {"name": "Heartbeat", "target": {"chargerIds": charger_ids}, "operation": HEARTBEAT, "rollout": rollout}
    response = api.request("POST", "/api/campaigns", body)
    assert response.status == 202, response.text
    return str(response.body["campaignId"])


def test_a_campaign_starts_its_execution_and_shows_every_charger_pending(
    api: OperatorApi, fleet: list[str], campaign_machine: str
) -> None:
    campaign_id = start(api, fleet[:2], canary=1, batchSize=5)

    executions = boto3.client("stepfunctions").list_executions(stateMachineArn=campaign_machine)["executions"]
    assert [execution["name"] for execution in executions] == [f"{campaign_id}-1"]
    shown = api.get(f"/api/campaigns/{campaign_id}").body
    assert (shown["status"], shown["batches"], shown["batch"]) == ("Running", 2, 0)
    assert shown["counts"] == {"total": 2, "pending": 2, "running": 0, "succeeded": 0, "failed": 0, "skipped": 0}
    assert shown["rollout"] == {
        "canary": 1,
        "batchSize": 5,
        "maxConcurrency": 5,
        "failureThreshold": 0.1,
        "chargerTimeoutSeconds": 600,
    }
    assert [(c["chargerId"], c["batch"], c["state"]) for c in shown["chargers"]] == [
        ("CP-1", 0, "pending"),
        ("CP-2", 1, "pending"),
    ]
    assert shown["chargersNextToken"] is None


def test_a_charger_on_its_way_shows_its_commands(api: OperatorApi, fleet: list[str], services: WiredServices) -> None:
    campaign_id = start(api, fleet, canary=1)

    services.campaign_workflow.advance({"campaignId": campaign_id, "generation": 1})

    shown = api.get(f"/api/campaigns/{campaign_id}").body
    canary = shown["chargers"][0]
    assert (canary["chargerId"], canary["state"], canary["ocppVersion"]) == ("CP-1", "running", "1.6")
    (command_id,) = canary["commandIds"]
    command = api.get(f"/api/commands/{command_id}").body
    assert (command["chargerId"], command["action"]) == ("CP-1", "ChangeConfiguration")
    assert (shown["counts"]["running"], shown["counts"]["pending"]) == (1, 2)


def test_the_chargers_of_a_campaign_come_in_pages_and_campaigns_newest_first(
    api: OperatorApi, fleet: list[str]
) -> None:
    first = start(api, fleet)
    second = start(api, fleet[:1])

    page = api.get(f"/api/campaigns/{first}", limit=2).body
    rest = api.get(f"/api/campaigns/{first}", limit=2, nextToken=page["chargersNextToken"]).body
    assert [c["chargerId"] for c in page["chargers"] + rest["chargers"]] == fleet
    assert rest["chargersNextToken"] is None
    assert [[c["campaignId"] for c in items] for items in api.pages("/api/campaigns", limit=1)] == [[second], [first]]
    assert api.get(f"/api/campaigns/{first}", nextToken="bogus").status == 400


def test_pause_resume_and_cancel_follow_the_allowed_transitions(api: OperatorApi, fleet: list[str]) -> None:
    campaign_id = start(api, fleet)
    path = f"/api/campaigns/{campaign_id}"

    assert api.request("POST", f"{path}/resume").status == 409  # Running
    paused = api.request("POST", f"{path}/pause")
    assert (paused.status, paused.body["status"]) == (200, "Paused")
    again = api.request("POST", f"{path}/pause")
    assert (again.status, again.body["message"]) == (409, "A Paused campaign cannot pause")
    assert api.request("POST", f"{path}/resume").body["status"] == "Running"
    assert api.request("POST", f"{path}/cancel").body["status"] == "Cancelled"
    for action in ("pause", "resume", "cancel"):
        assert api.request("POST", f"{path}/{action}").status == 409, action
    assert api.get(path).body["status"] == "Cancelled"


def test_an_unknown_campaign_is_404(api: OperatorApi, campaign_machine: str) -> None:
    assert api.get("/api/campaigns/nope").status == 404
    for action in ("pause", "resume", "cancel"):
        assert api.request("POST", f"/api/campaigns/nope/{action}").status == 404, action


@pytest.mark.parametrize(
    ("body", "reasons"),
    [
        (
            {"name": "x", "target": {"chargerIds": ["nobody"]}, "operation": HEARTBEAT},
            ["target: no charger matches every filter given"],
        ),
        (
            {"name": "x", "target": {"siteId": "depot", "colour": "red"}, "operation": HEARTBEAT},
            ["body.target.colour: Extra inputs are not permitted"],
        ),
        (
            {
                "name": "x",
                "target": {"chargerIds": ["CP-1"]},
                "operation": HEARTBEAT,
                "rollout": {"batchSize": 0, "failureThreshold": 1.5},
            },
            [
                "body.rollout.batchSize: Input should be greater than or equal to 1",
                "body.rollout.failureThreshold: Input should be less than or equal to 1",
            ],
        ),
        (
            {"name": "x", "target": {"chargerIds": ["CP-1"]}, "operation": {"kind": "configuration", "settings": []}},
            ["operation.settings: at least one setting"],
        ),
        (
            {"name": "x", "target": {"chargerIds": ["CP-1"]}, "operation": {"kind": "firmware"}},
            ["operation.firmwareId: no firmware image None (register it with POST /api/firmware)"],
        ),
        (
            {
                "name": "x",
                "target": {"chargerIds": ["CP-1", "CP-3"]},
                "operation": {
                    "kind": "command",
                    "action": "Reset",
                    "payload": {"type": "OnIdle"},
                    "ocppVersion": "2.0.1",
                },
            },
            [
                "target: 1 charger(s) speak OCPP 1.6, which the operation cannot express (narrow the target with "
                "ocppVersion)"
            ],
        ),
    ],
)
def test_a_campaign_that_cannot_run_is_refused_with_every_reason(
    api: OperatorApi, fleet: list[str], body: dict[str, Any], reasons: list[str]
) -> None:
    response = api.request("POST", "/api/campaigns", body)

    assert (response.status, response.body["reasons"]) == (422, reasons)
    assert api.get("/api/campaigns").body["items"] == []


def test_viewers_read_campaigns_operators_run_them(fleet: list[str]) -> None:
    operator = OperatorApi(person_claims("olga", "[operators]"))
    viewer = OperatorApi(person_claims("vic", "[viewers]"))
    campaign_id = start(operator, fleet)

    assert viewer.get(f"/api/campaigns/{campaign_id}").status == 200
    assert viewer.get("/api/campaigns").status == 200
    body = {"name": "x", "target": {"chargerIds": fleet}, "operation": HEARTBEAT}
    assert viewer.request("POST", "/api/campaigns", body).status == 403
    for action in ("pause", "resume", "cancel"):
        assert viewer.request("POST", f"/api/campaigns/{campaign_id}/{action}").status == 403, action
    assert operator.request("POST", f"/api/campaigns/{campaign_id}/pause").status == 200
