"""What an operator can send to a charge point of a version: every command action, the shortcut that
sends it without a payload in OCPP terms, and the official schema of its request (for a form)."""

from dataclasses import dataclass
from typing import Any

from csms.commands.command_actions import COMMAND_ACTIONS
from csms.commands.local_list import SEND_LOCAL_LIST
from csms.wire import ocpp_library
from csms.wire.versions import OcppVersion

V16, V201 = OcppVersion.V16, OcppVersion.V201

# The version-independent commands (`csms.commands.shortcuts`, the local list) by the name the
# operator API gives them (`POST /api/chargers/{id}/{shortcut}`), and the action each sends.
SHORTCUTS: dict[str, dict[OcppVersion, str]] = {
    "start": {V16: "RemoteStartTransaction", V201: "RequestStartTransaction"},
    "stop": {V16: "RemoteStopTransaction", V201: "RequestStopTransaction"},
    "reset": {V16: "Reset", V201: "Reset"},
    "unlock": {V16: "UnlockConnector", V201: "UnlockConnector"},
    "availability": {V16: "ChangeAvailability", V201: "ChangeAvailability"},
    "local-list": {V16: SEND_LOCAL_LIST, V201: SEND_LOCAL_LIST},
}


@dataclass(frozen=True)
class CommandAction:
    action: str
    shortcut: str | None  # the shortcut that sends it, if any


def command_actions(version: OcppVersion) -> list[CommandAction]:
    """Every action the CSMS can send to a charge point of `version`, by name."""
    shortcuts = {actions[version]: shortcut for shortcut, actions in SHORTCUTS.items()}
    return [CommandAction(action, shortcuts.get(action)) for action in sorted(COMMAND_ACTIONS[version])]


def request_schema(version: OcppVersion, action: str) -> dict[str, Any] | None:
    """The official JSON schema of the action's request; None unless the CSMS can send it in `version`."""
    if action not in COMMAND_ACTIONS[version]:
        return None
    return ocpp_library.request_schema(action, version)
