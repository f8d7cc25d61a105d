"""/api/ocpp/{version}/actions: what the CSMS can send to a charger of a version, and each request's official schema."""

import pytest

from tests.api.conftest import OperatorApi


@pytest.mark.parametrize(
    ("version", "some", "shortcuts"),
    [
        (
            "1.6",
            {"GetConfiguration", "ChangeConfiguration", "TriggerMessage", "UpdateFirmware"},
            {
                "RemoteStartTransaction": "start",
                "RemoteStopTransaction": "stop",
                "Reset": "reset",
                "UnlockConnector": "unlock",
                "ChangeAvailability": "availability",
                "SendLocalList": "local-list",
            },
        ),
        (
            "2.0.1",
            {"GetVariables", "SetVariables", "GetBaseReport", "CostUpdated"},
            {
                "RequestStartTransaction": "start",
                "RequestStopTransaction": "stop",
                "Reset": "reset",
                "UnlockConnector": "unlock",
                "ChangeAvailability": "availability",
                "SendLocalList": "local-list",
            },
        ),
    ],
)
def test_the_actions_of_a_version_come_by_name_with_their_shortcuts(
    api: OperatorApi, version: str, some: set[str], shortcuts: dict[str, str]
) -> None:
    response = api.get(f"/api/ocpp/{version}/actions")

    assert response.status == 200, response.text
    items = response.body["items"]
    actions = [item["action"] for item in items]
    assert actions == sorted(actions)
    assert some <= set(actions)
    assert not {"BootNotification", "Heartbeat", "StatusNotification"} & set(actions)  # a charger sends those
    assert {item["action"]: item["shortcut"] for item in items if item.get("shortcut")} == shortcuts


def test_an_actions_schema_is_the_official_request_schema(api: OperatorApi) -> None:
    reset_16 = api.get("/api/ocpp/1.6/actions/Reset/schema")
    reset_201 = api.get("/api/ocpp/2.0.1/actions/Reset/schema")
    profile_16 = api.get("/api/ocpp/1.6/actions/SetChargingProfile/schema")

    assert reset_16.status == 200, reset_16.text
    assert reset_16.body["title"] == "ResetRequest"
    assert reset_16.body["properties"]["type"]["enum"] == ["Hard", "Soft"]
    assert reset_201.body["comment"] == "OCPP 2.0.1 FINAL"
    assert reset_201.body["required"] == ["type"]
    assert reset_201.body["definitions"]["ResetEnumType"]["enum"] == ["Immediate", "OnIdle"]
    # Numbers of the schema are JSON numbers (the library reads some schemas with decimals)
    limit = profile_16.body["properties"]["csChargingProfiles"]["properties"]["chargingSchedule"]["properties"]
    assert limit["minChargingRate"]["multipleOf"] == 0.1


@pytest.mark.parametrize(
    "path",
    [
        "/api/ocpp/2.1/actions",
        "/api/ocpp/1.5/actions/Reset/schema",
        "/api/ocpp/1.6/actions/BootNotification/schema",  # not one the CSMS sends
        "/api/ocpp/2.0.1/actions/RemoteStartTransaction/schema",  # 1.6's
        "/api/ocpp/2.0.1/actions/Nothing/schema",
    ],
)
def test_an_unknown_version_or_action_is_not_found(api: OperatorApi, path: str) -> None:
    response = api.get(path)

    assert (response.status, set(response.body)) == (404, {"statusCode", "message"})
