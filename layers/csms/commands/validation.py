"""A command's payload against the official schema of its action, every violation reported."""

import decimal
import json
from typing import Any

import ocpp.messages
from ocpp.messages import MessageType

from csms.commands.command_actions import COMMAND_ACTIONS
from csms.commands.errors import InvalidCommandError
from csms.wire.versions import OcppVersion

# The `ocpp` library validates these 1.6 requests with Decimal floats (their schemas use
# multipleOf 0.1) and caches the validator per action: do as it does.
_DECIMAL_REQUESTS = {OcppVersion.V16: {"SetChargingProfile", "RemoteStartTransaction"}}


def validate_command(version: OcppVersion, action: str, payload: dict[str, Any]) -> None:
    """Raise `InvalidCommandError` with one reason per violation, or if `action` is not a command."""
    if action not in COMMAND_ACTIONS[version]:
        raise InvalidCommandError([f"{action} is not an action OCPP {version.value} sends to a charge point"])
    as_decimal = action in _DECIMAL_REQUESTS.get(version, set())
    parse_float = decimal.Decimal if as_decimal else float
    validator = ocpp.messages.get_validator(MessageType.Call, action, version.value, parse_float=parse_float)
    instance = json.loads(json.dumps(payload), parse_float=parse_float)
    reasons = [
        f"{'/'.join(str(part) for part in error.absolute_path) or 'payload'}: {error.message}"
        for error in sorted(validator.iter_errors(instance), key=lambda error: list(map(str, error.absolute_path)))
    ]
    if reasons:
        raise InvalidCommandError(reasons)
