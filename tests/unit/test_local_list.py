"""SendLocalList: every id token, for the charge point's OCPP version, numbered per charge point.

The operator sends it with the local-list shortcut (`CommandService.send_local_list`).
"""

from datetime import UTC, datetime
from typing import Any

import pytest
from ocpp.messages import Call, _validate_payload

from csms.commands.errors import UnknownChargePointError, VersionUnknownError
from csms.commands.local_list import LocalListService
from csms.composition import Services
from csms.domain.models import IdToken, IdTokenStatus
from csms.wire.versions import OcppVersion
from tests.fakes import RecordingWorkflows

EXPIRY = datetime(2027, 1, 1, tzinfo=UTC)
LONG_TOKEN = "A" * 21  # longer than a 1.6 idTag


@pytest.fixture
def local_list(fake_services: Services) -> LocalListService:
    repositories = fake_services.repositories
    repositories.charge_points.register("CP-1", None, EXPIRY)
    repositories.charge_points.register("CP-2", None, EXPIRY)
    for token in (
        IdToken("TAG-2", IdTokenStatus.BLOCKED),
        IdToken("TAG-1", IdTokenStatus.ACCEPTED, expiry=EXPIRY, parent_id="GROUP", token_type="KeyCode"),
        IdToken(LONG_TOKEN, IdTokenStatus.ACCEPTED),
    ):
        repositories.id_tokens.put(token)
    return fake_services.local_list


def valid(version: OcppVersion, action: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload, once the official schema of the request accepted it."""
    _validate_payload(Call("m-1", action, payload), version.value)
    return payload


def test_a_16_list_carries_every_token_an_id_tag_can_hold(local_list: LocalListService) -> None:
    request = local_list.full_list("CP-1", OcppVersion.V16)

    assert valid(OcppVersion.V16, request.action, request.payload) == {
        "listVersion": 1,
        "updateType": "Full",
        "localAuthorizationList": [
            {
                "idTag": "TAG-1",
                "idTagInfo": {"status": "Accepted", "expiryDate": "2027-01-01T00:00:00.000Z", "parentIdTag": "GROUP"},
            },
            {"idTag": "TAG-2", "idTagInfo": {"status": "Blocked"}},
        ],
    }


def test_a_201_list_carries_every_token_with_its_type(local_list: LocalListService) -> None:
    request = local_list.full_list("CP-1", OcppVersion.V201)

    assert valid(OcppVersion.V201, request.action, request.payload) == {
        "versionNumber": 1,
        "updateType": "Full",
        "localAuthorizationList": [
            {"idToken": {"idToken": LONG_TOKEN, "type": "ISO14443"}, "idTokenInfo": {"status": "Accepted"}},
            {
                "idToken": {"idToken": "TAG-1", "type": "KeyCode"},
                "idTokenInfo": {
                    "status": "Accepted",
                    "cacheExpiryDateTime": "2027-01-01T00:00:00.000Z",
                    "groupIdToken": {"idToken": "GROUP", "type": "Central"},
                },
            },
            {"idToken": {"idToken": "TAG-2", "type": "ISO14443"}, "idTokenInfo": {"status": "Blocked"}},
        ],
    }


def test_each_charge_point_numbers_its_own_lists(local_list: LocalListService, fake_services: Services) -> None:
    versions = [local_list.full_list("CP-1", OcppVersion.V16).payload["listVersion"] for _ in range(3)]
    other = local_list.full_list("CP-2", OcppVersion.V201).payload["versionNumber"]

    assert (versions, other) == ([1, 2, 3], 1)
    charge_point = fake_services.repositories.charge_points.get("CP-1")
    assert charge_point is not None
    assert charge_point.local_list_version == 3


def test_no_list_for_an_unregistered_charge_point(local_list: LocalListService) -> None:
    with pytest.raises(LookupError):
        local_list.full_list("CP-UNKNOWN", OcppVersion.V16)


def test_without_tokens_a_full_list_clears_the_charge_points_list(fake_services: Services) -> None:
    fake_services.repositories.charge_points.register("CP-1", None, EXPIRY)

    payload16 = fake_services.local_list.full_list("CP-1", OcppVersion.V16).payload
    payload201 = fake_services.local_list.full_list("CP-1", OcppVersion.V201).payload

    assert valid(OcppVersion.V16, "SendLocalList", payload16) == {
        "listVersion": 1,
        "updateType": "Full",
        "localAuthorizationList": [],
    }
    assert valid(OcppVersion.V201, "SendLocalList", payload201) == {"versionNumber": 2, "updateType": "Full"}


# The shortcut ----------------------------------------------------------------------------------


def test_the_shortcut_sends_the_full_list_numbered_one_then_two(
    local_list: LocalListService, fake_services: Services, workflows: RecordingWorkflows
) -> None:
    # Given a 1.6 charge point that connected
    fake_services.charge_points.connected("CP-1", "conn-1", OcppVersion.V16)

    # When the operator sends it the local list twice
    first = fake_services.commands.send_local_list("CP-1")
    second = fake_services.commands.send_local_list("CP-1")

    # Then each is a SendLocalList command with every token a 1.6 list holds, numbered 1, then 2
    assert [(command.action, command.charge_point_id) for command in (first, second)] == [("SendLocalList", "CP-1")] * 2
    assert [command.request["listVersion"] for command in (first, second)] == [1, 2]
    assert [entry["idTag"] for entry in first.request["localAuthorizationList"]] == ["TAG-1", "TAG-2"]
    assert valid(OcppVersion.V16, "SendLocalList", second.request) == {**first.request, "listVersion": 2}
    # And each has its workflow started
    assert [command_id for command_id, _ in workflows.started] == [first.command_id, second.command_id]


def test_the_shortcut_to_a_201_charge_point_sends_its_versions_list(
    local_list: LocalListService, fake_services: Services
) -> None:
    fake_services.charge_points.connected("CP-1", "conn-1", OcppVersion.V201)

    command = fake_services.commands.send_local_list("CP-1")

    assert command.request["versionNumber"] == 1
    assert [entry["idToken"]["idToken"] for entry in command.request["localAuthorizationList"]] == [
        LONG_TOKEN,
        "TAG-1",
        "TAG-2",
    ]


def test_no_list_is_sent_to_an_unknown_charge_point(local_list: LocalListService, fake_services: Services) -> None:
    with pytest.raises(UnknownChargePointError):
        fake_services.commands.send_local_list("CP-UNKNOWN")


def test_no_list_is_sent_to_a_charge_point_that_never_connected_and_no_version_is_used_up(
    local_list: LocalListService, fake_services: Services, workflows: RecordingWorkflows
) -> None:
    with pytest.raises(VersionUnknownError):
        fake_services.commands.send_local_list("CP-1")

    assert workflows.started == []
    charge_point = fake_services.repositories.charge_points.get("CP-1")
    assert charge_point is not None
    assert charge_point.local_list_version == 0
