"""The actions the CSMS sends, against the `ocpp` library's schemas, and how their answers count."""

import json
import os
from typing import Any

import ocpp.messages
import pytest

from csms.commands.command_actions import COMMAND_ACTIONS, NEGATIVE_STATUSES, outcome
from csms.commands.models import CommandStatus
from csms.wire.versions import OcppVersion

SCHEMAS = os.path.join(os.path.dirname(ocpp.messages.__file__), "v{}", "schemas")
# Status values that mean the charge point did (or will do) what was asked, or ran the query.
POSITIVE_STATUSES = {
    "Accepted",
    "AcceptedCanceled",
    "Scheduled",
    "RebootRequired",
    "Unlocked",
    "Unpublished",
    "NoProfiles",
    "EmptyResultSet",
}
CASES = [(version, action) for version, actions in COMMAND_ACTIONS.items() for action in sorted(actions)]


def schema(version: OcppVersion, name: str) -> dict[str, Any]:
    with open(os.path.join(SCHEMAS.format(version.value.replace(".", "")), f"{name}.json"), encoding="utf-8-sig") as f:
        loaded: dict[str, Any] = json.load(f)
    return loaded


def response_statuses(version: OcppVersion, action: str) -> list[str]:
    response = schema(version, f"{action}Response")
    status = response.get("properties", {}).get("status")
    if status is None:
        return []
    if "$ref" in status:
        status = response["definitions"][status["$ref"].rsplit("/", 1)[1]]
    values: list[str] = status["enum"]
    return values


@pytest.mark.parametrize(("version", "action"), CASES)
def test_every_command_action_has_its_schemas(version: OcppVersion, action: str) -> None:
    request = f"{action}Request" if version is OcppVersion.V201 else action
    assert schema(version, request)
    assert schema(version, f"{action}Response")


@pytest.mark.parametrize(("version", "action"), CASES)
def test_every_status_an_answer_can_carry_is_classified(version: OcppVersion, action: str) -> None:
    """A status neither list knows would silently count as Accepted."""
    for status in response_statuses(version, action):
        assert (status in NEGATIVE_STATUSES) != (status in POSITIVE_STATUSES), status
        expected = CommandStatus.REJECTED if status in NEGATIVE_STATUSES else CommandStatus.ACCEPTED
        assert outcome({"status": status}) is expected


def test_an_answer_without_status_is_accepted() -> None:
    assert outcome({"configurationKey": []}) is CommandStatus.ACCEPTED
