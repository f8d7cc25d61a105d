"""A command's payload against the official schema of its action, every violation reported."""

from typing import Any

from csms.commands.command_actions import COMMAND_ACTIONS
from csms.commands.errors import InvalidCommandError
from csms.wire.ocpp_library import request_violations
from csms.wire.versions import OcppVersion


def validate_command(version: OcppVersion, action: str, payload: dict[str, Any]) -> None:
    """Raise `InvalidCommandError` with one reason per violation, or if `action` is not a command."""
    if action not in COMMAND_ACTIONS[version]:
        raise InvalidCommandError([f"{action} is not an action OCPP {version.value} sends to a charge point"])
    reasons = request_violations(action, payload, version)
    if reasons:
        raise InvalidCommandError(reasons)
