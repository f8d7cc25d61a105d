"""The catalogue of command actions the API offers: each shortcut named with the action it really sends."""

import pytest

from csms.commands import shortcuts
from csms.commands.catalogue import SHORTCUTS, CommandAction, command_actions, request_schema
from csms.commands.command_actions import COMMAND_ACTIONS
from csms.wire.versions import OcppVersion


@pytest.mark.parametrize("version", list(OcppVersion))
def test_each_shortcut_names_the_action_its_command_sends(version: OcppVersion) -> None:
    sent = {
        "start": shortcuts.start(version, "TAG", None, 1 if version is OcppVersion.V201 else None),
        "stop": shortcuts.stop(version, "7"),
        "reset": shortcuts.reset(version, shortcuts.ResetType.SOFT),
        "unlock": shortcuts.unlock(version, 1, 1 if version is OcppVersion.V201 else None),
        "availability": shortcuts.availability(version, shortcuts.Availability.OPERATIVE, None, None),
    }

    assert {name: request.action for name, request in sent.items()} == {
        name: actions[version] for name, actions in SHORTCUTS.items() if name in sent
    }


@pytest.mark.parametrize("version", list(OcppVersion))
def test_every_command_action_is_listed_once_by_name_and_every_shortcut_on_one(version: OcppVersion) -> None:
    listed = command_actions(version)

    assert [entry.action for entry in listed] == sorted(COMMAND_ACTIONS[version])
    assert {entry.shortcut for entry in listed if entry.shortcut} == set(SHORTCUTS)


def test_a_schema_only_for_what_the_csms_sends() -> None:
    assert request_schema(OcppVersion.V16, "Heartbeat") is None
    assert request_schema(OcppVersion.V201, "GetConfiguration") is None
    schema = request_schema(OcppVersion.V201, "GetVariables")
    assert schema is not None
    assert schema["required"] == ["getVariableData"]
    assert CommandAction("Reset", "reset") in command_actions(OcppVersion.V16)
