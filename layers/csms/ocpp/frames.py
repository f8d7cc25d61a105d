"""OCPP-J frames: decoding with the `ocpp` library, schema validation, and encoding replies."""

import json
from dataclasses import asdict, is_dataclass
from typing import Any

import ocpp.messages
import ocpp.v16.enums
import ocpp.v201.enums
from ocpp.charge_point import camel_to_snake_case, remove_nones, snake_to_camel_case
from ocpp.exceptions import OCPPError, ProtocolError
from ocpp.messages import Call, CallError, CallResult, MessageType

from csms.ocpp.errors import UNKNOWN_MESSAGE_ID, CallErrorReply, error_code
from csms.ocpp_versions import OcppVersion

# Validate in the calling thread: Lambda handles one frame at a time and has no event loop.
ocpp.messages.ASYNC_VALIDATION = False

_KNOWN_MESSAGE_TYPES = {MessageType.Call, MessageType.CallResult, MessageType.CallError}


def _message_id_of(raw: str) -> str:
    """Best-effort message id of a frame that could not be decoded."""
    try:
        frame = json.loads(raw)
    except (ValueError, TypeError, RecursionError):
        return UNKNOWN_MESSAGE_ID
    if isinstance(frame, list) and len(frame) > 1 and isinstance(frame[1], str):
        return frame[1]
    return UNKNOWN_MESSAGE_ID


def decode(raw: str, version: OcppVersion) -> Call | CallResult | CallError:
    """Unpack a frame; raises `CallErrorReply` with the code the version prescribes."""
    message_id = _message_id_of(raw)
    try:
        frame = json.loads(raw)
        if isinstance(frame, list) and frame and isinstance(frame[0], int) and frame[0] not in _KNOWN_MESSAGE_TYPES:
            raise CallErrorReply(
                message_id,
                error_code(version, "MessageTypeNotSupported"),
                f"Message type {frame[0]} is not supported",
            )
        message = ocpp.messages.unpack(raw)
        if not isinstance(message.unique_id, str):
            raise ProtocolError(description="The message id must be a string")
        if isinstance(message, Call) and not isinstance(message.action, str):
            raise ProtocolError(description="The action must be a string")
    except OCPPError as error:
        raise reply_for(message_id, version, error) from error
    except (ValueError, RecursionError) as error:  # not JSON at all, or nested beyond reason
        raise CallErrorReply(message_id, error_code(version, "FormatViolation"), "Frame is not valid JSON") from error
    return message


def validate(message: Call | CallResult, version: OcppVersion) -> None:
    """Validate a payload against the official schema; raises `CallErrorReply`."""
    if not isinstance(message.payload, dict):
        raise CallErrorReply(
            message.unique_id, error_code(version, "TypeConstraintViolation"), "The payload must be a JSON object"
        )
    try:
        ocpp.messages._validate_payload(message, version.value)
    except OCPPError as error:
        raise reply_for(message.unique_id, version, error) from error


_ACTIONS = {
    OcppVersion.V16: {action.value for action in ocpp.v16.enums.Action},
    OcppVersion.V201: {action.value for action in ocpp.v201.enums.Action},
}


def is_known_action(action: str, version: OcppVersion) -> bool:
    """Whether OCPP `version` defines `action` at all (in either direction)."""
    return action in _ACTIONS[version]


def to_snake_case(payload: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = camel_to_snake_case(payload)
    return result


def to_payload(response: Any) -> dict[str, Any]:
    """A response dataclass (or dict) as the camelCase JSON object OCPP expects."""
    data = asdict(response) if is_dataclass(response) and not isinstance(response, type) else response
    result: dict[str, Any] = snake_to_camel_case(remove_nones(data))
    return result


def encode_result(message_id: str, action: str, payload: dict[str, Any]) -> CallResult:
    return CallResult(unique_id=message_id, payload=payload, action=action)


def encode_error(reply: CallErrorReply) -> str:
    frame: str = CallError(reply.message_id, reply.code, reply.description, reply.details).to_json()
    return frame


def reply_for(message_id: str, version: OcppVersion, error: OCPPError) -> CallErrorReply:
    reply = CallErrorReply.from_ocpp_error(message_id, error)
    reply.code = error_code(version, reply.code)
    return reply
