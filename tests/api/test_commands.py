"""/api/chargers/{id}/commands, the shortcuts and /api/commands through the handler, on moto.

Executions are started in moto but not run here (a one-state machine stands in): what the
workflow does is tested in tests/local/test_command_workflow.py and end to end.
"""

from typing import Any

import pytest

from csms import constants
from csms.commands.models import CommandStatus
from csms.composition import Services, get_services
from csms.settings import get_settings
from csms.wire.versions import OcppVersion
from tests.api.conftest import OperatorApi
from tests.wired import handler_services

V16, V201 = OcppVersion.V16, OcppVersion.V201
CHARGE_POINTS = {V16: "CP-16", V201: "CP-201"}


@pytest.fixture
def services(state_machine: Any) -> Services:
    services = handler_services()
    for version, charge_point_id in CHARGE_POINTS.items():
        services.charge_points.connected(charge_point_id, f"conn-{charge_point_id}", version)
    return services


def test_a_command_is_accepted_for_processing_and_can_be_followed(
    api: OperatorApi, services: Services, state_machine: Any
) -> None:
    # When an operator sends a raw OCPP command
    response = api.request(
        "POST",
        "/api/chargers/CP-16/commands",
        {"action": "TriggerMessage", "payload": {"requestedMessage": "Heartbeat"}},
    )

    # Then it is accepted for processing, and its workflow started under its id
    assert response.status == 202
    command_id = response.body["commandId"]
    (execution,) = state_machine.list_executions(stateMachineArn=services.settings.command_state_machine_arn)[
        "executions"
    ]
    assert execution["name"] == command_id
    # And the command shows what was asked and where it stands
    view = api.get(f"/api/commands/{command_id}").body
    assert view == {
        "commandId": command_id,
        "chargerId": "CP-16",
        "ocppVersion": "1.6",
        "action": "TriggerMessage",
        "status": "Pending",
        "request": {"requestedMessage": "Heartbeat"},
        "response": None,
        "error": None,
        "executionArn": execution["executionArn"],
        "followUp": None,
        "result": None,
        "createdAt": view["createdAt"],
        "sentAt": None,
        "answeredAt": None,
        "finishedAt": None,
    }


def test_an_invalid_payload_is_refused_with_every_reason_and_nothing_is_started(
    api: OperatorApi, services: Services, state_machine: Any
) -> None:
    response = api.request(
        "POST", "/api/chargers/CP-201/commands", {"action": "Reset", "payload": {"type": "Sideways", "evse": 1}}
    )

    assert response.status == 422
    assert response.body == {
        "statusCode": 422,
        "message": "Invalid command",
        "reasons": [
            "payload: Additional properties are not allowed ('evse' was unexpected)",
            "type: 'Sideways' is not one of ['Immediate', 'OnIdle']",
        ],
    }
    assert (
        state_machine.list_executions(stateMachineArn=services.settings.command_state_machine_arn)["executions"] == []
    )
    assert api.get("/api/chargers/CP-201/commands").body == {"items": [], "nextToken": None}


def test_an_action_of_the_other_version_is_refused(api: OperatorApi, services: Services) -> None:
    response = api.request("POST", "/api/chargers/CP-201/commands", {"action": "RemoteStartTransaction", "payload": {}})

    assert response.status == 422
    assert response.body["reasons"] == ["RemoteStartTransaction is not an action OCPP 2.0.1 sends to a charge point"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/chargers/CP-404/commands", {"action": "ClearCache"}),
        ("POST", "/api/chargers/CP-404/reset", {"type": "soft"}),
        ("POST", "/api/chargers/CP-404/local-list", None),
        ("GET", "/api/chargers/CP-404/commands", None),
        ("GET", "/api/commands/no-such-command", None),
    ],
)
def test_unknown_chargers_and_commands(
    api: OperatorApi, services: Services, method: str, path: str, body: dict[str, Any] | None
) -> None:
    response = api.request(method, path, body)

    assert (response.status, set(response.body)) == (404, {"statusCode", "message"})


@pytest.mark.parametrize(("path", "body"), [("commands", {"action": "ClearCache"}), ("local-list", None)])
def test_a_charger_that_never_connected_cannot_be_commanded_yet(
    api: OperatorApi, services: Services, path: str, body: dict[str, Any] | None
) -> None:
    services.repositories.charge_points.register("CP-NEW", None, services.clock.now())

    response = api.request("POST", f"/api/chargers/CP-NEW/{path}", body)

    assert response.status == 409
    assert response.body == {
        "statusCode": 409,
        "message": "CP-NEW has never connected: its OCPP version is not known yet",
    }


def test_a_charger_with_a_full_command_queue_refuses_more_at_once(
    api: OperatorApi, services: Services, state_machine: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a deployment that queues two commands per charge point, and two waiting for CP-16
    monkeypatch.setenv(constants.ENV_COMMAND_QUEUE_LIMIT, "2")
    get_settings.cache_clear()
    get_services.cache_clear()
    for _ in range(2):
        assert api.request("POST", "/api/chargers/CP-16/commands", {"action": "ClearCache"}).status == 202

    # When one more is submitted
    response = api.request("POST", "/api/chargers/CP-16/reset", {"type": "soft"})

    # Then it is refused as too many, and nothing is stored or started for it
    assert response.status == 429
    assert response.body == {
        "statusCode": 429,
        "message": "CP-16 has 2 commands waiting already: try again once some are done",
    }
    executions = state_machine.list_executions(stateMachineArn=services.settings.command_state_machine_arn)
    assert len(executions["executions"]) == len(api.get("/api/chargers/CP-16/commands").body["items"]) == 2
    # And the OpenAPI document says so
    documented = api.get("/api/openapi.json").body["paths"]["/api/chargers/{charger_id}/commands"]["post"]
    assert "429" in documented["responses"]


@pytest.mark.parametrize(
    ("version", "path", "body", "action", "sent"),
    [
        (
            V16,
            "start",
            {"idToken": "TAG", "connectorId": 1},
            "RemoteStartTransaction",
            {"idTag": "TAG", "connectorId": 1},
        ),
        (V16, "stop", {"transactionId": 42}, "RemoteStopTransaction", {"transactionId": 42}),
        (V201, "stop", {"transactionId": "tx-1"}, "RequestStopTransaction", {"transactionId": "tx-1"}),
        (V16, "reset", {"type": "soft"}, "Reset", {"type": "Soft"}),
        (V201, "reset", {"type": "hard"}, "Reset", {"type": "Immediate"}),
        (V16, "unlock", {"connectorId": 2}, "UnlockConnector", {"connectorId": 2}),
        (V201, "unlock", {"evseId": 1}, "UnlockConnector", {"evseId": 1, "connectorId": 1}),
        (
            V16,
            "availability",
            {"status": "inoperative"},
            "ChangeAvailability",
            {"connectorId": 0, "type": "Inoperative"},
        ),
        (
            V201,
            "availability",
            {"status": "operative", "evseId": 1},
            "ChangeAvailability",
            {"operationalStatus": "Operative", "evse": {"id": 1}},
        ),
        (
            V16,
            "local-list",
            None,
            "SendLocalList",
            {"listVersion": 1, "updateType": "Full", "localAuthorizationList": []},
        ),
        (V201, "local-list", None, "SendLocalList", {"versionNumber": 1, "updateType": "Full"}),
    ],
)
def test_shortcuts(
    api: OperatorApi,
    services: Services,
    version: OcppVersion,
    path: str,
    body: dict[str, Any] | None,
    action: str,
    sent: dict[str, Any],
) -> None:
    charger_id = CHARGE_POINTS[version]

    response = api.request("POST", f"/api/chargers/{charger_id}/{path}", body)

    assert response.status == 202, response.text
    command = api.get(f"/api/commands/{response.body['commandId']}").body
    assert (command["action"], command["request"]) == (action, sent)


def test_a_201_start_gets_a_remote_start_id_and_waits_for_the_transaction(api: OperatorApi, services: Services) -> None:
    response = api.request("POST", "/api/chargers/CP-201/start", {"idToken": "TAG", "evseId": 1})

    command = api.get(f"/api/commands/{response.body['commandId']}").body
    assert command["request"]["idToken"] == {"idToken": "TAG", "type": "Central"}
    assert isinstance(command["request"]["remoteStartId"], int)
    assert command["followUp"] == {"kind": "TransactionStarted", "timeoutSeconds": 300}


@pytest.mark.parametrize(
    ("path", "body", "where"),
    [
        ("reset", {"type": "gentle"}, "body.type"),
        ("start", {}, "body.idToken"),
        ("availability", {"status": "operative", "connectorId": -1}, "body.connectorId"),
        ("commands", {"payload": {}}, "body.action"),
    ],
)
def test_malformed_requests(api: OperatorApi, services: Services, path: str, body: dict[str, Any], where: str) -> None:
    response = api.request("POST", f"/api/chargers/CP-16/{path}", body)

    assert response.status == 422
    assert [reason.split(":")[0] for reason in response.body["reasons"]] == [where]


def test_a_shortcut_the_version_cannot_express(api: OperatorApi, services: Services) -> None:
    response = api.request("POST", "/api/chargers/CP-16/unlock", {"evseId": 1})

    assert response.status == 422
    assert response.body["reasons"] == ["OCPP 1.6 has no evseId; use connectorId"]


def test_a_chargers_commands_newest_first_page_by_page(api: OperatorApi, services: Services) -> None:
    submitted = [
        api.request("POST", "/api/chargers/CP-16/commands", {"action": "ClearCache"}).body["commandId"]
        for _ in range(3)
    ]
    api.request("POST", "/api/chargers/CP-201/commands", {"action": "ClearCache"})

    pages = api.pages("/api/chargers/CP-16/commands", limit=2)

    listed = [command["commandId"] for page in pages for command in page]
    assert sorted(listed) == sorted(submitted)  # created within the same millisecond, they may tie
    assert all(command["status"] == CommandStatus.PENDING for page in pages for command in page)
    assert api.get("/api/chargers/CP-16/commands", nextToken="bm90IGEgdG9rZW4").status == 400


def test_every_chargers_commands_newest_first_page_by_page(api: OperatorApi, services: Services) -> None:
    submitted = [
        api.request("POST", f"/api/chargers/{charger_id}/commands", {"action": "ClearCache"}).body["commandId"]
        for charger_id in ("CP-16", "CP-201", "CP-16")
    ]

    pages = api.pages("/api/commands", limit=2)

    listed = [command for page in pages for command in page]
    assert sorted(command["commandId"] for command in listed) == sorted(submitted)
    assert sorted(command["chargerId"] for command in listed) == ["CP-16", "CP-16", "CP-201"]
    created = [command["createdAt"] for command in listed]
    assert created == sorted(created, reverse=True)
    assert api.get("/api/commands", nextToken="bm90IGEgdG9rZW4").status == 400
