"""OCPP-J frames: each decoded once into one representation, and the replies encoded.

A frame that calls for a CALLERROR raises `CallErrorReply`; the code is spelled for the
connection's version only when the reply is encoded (`encode_error`). A CALLRESULT or CALLERROR
from a charge point is never answered: when its content is not acceptable it decodes to an
`InvalidAnswer`, which still names the call it answers if its message id could be read.
"""

import json
from dataclasses import dataclass
from typing import Any

from csms.wire.errors import UNKNOWN_MESSAGE_ID, CallErrorReply, ErrorCode
from csms.wire.json_text import JsonArray, NotAnArrayError, NotJsonError, RefusedJsonError, array_elements
from csms.wire.versions import MessageType, OcppVersion

# OCPP-J: a message id is a string of at most 36 characters.
MAX_MESSAGE_ID_LENGTH = 36


@dataclass(frozen=True)
class Call:
    message_id: str
    action: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class CallResult:
    message_id: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class CallError:
    message_id: str
    code: str  # as the charge point wrote it
    description: str
    details: dict[str, Any]


@dataclass(frozen=True)
class InvalidAnswer:
    """A CALLRESULT or CALLERROR whose content OCPP-J does not allow (`reason` says what).

    `message_id` is None when the id itself is unreadable: then it can answer no call.
    """

    message_id: str | None
    reason: str


Answer = CallResult | CallError | InvalidAnswer


def decode(raw: str | bytes, version: OcppVersion) -> Call | Answer:
    """A frame received on a connection of `version`; raises `CallErrorReply` when a CALLERROR is due."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        frame = array_elements(text)
    except (UnicodeDecodeError, NotJsonError, RefusedJsonError) as error:
        raise CallErrorReply(UNKNOWN_MESSAGE_ID, ErrorCode.FORMAT_VIOLATION, "Frame is not valid JSON") from error
    except NotAnArrayError as error:
        raise _protocol_error(UNKNOWN_MESSAGE_ID, "A frame must be a JSON array") from error
    elements = frame.elements
    if not elements:
        if frame.refused:
            raise CallErrorReply(UNKNOWN_MESSAGE_ID, ErrorCode.FORMAT_VIOLATION, f"Frame refused: {frame.refused}")
        raise _protocol_error(UNKNOWN_MESSAGE_ID, "The frame has no message type")
    message_type, message_id = _message_type(elements[0], version), _message_id(elements)
    if message_type is None:
        raise CallErrorReply(
            message_id or UNKNOWN_MESSAGE_ID,
            ErrorCode.MESSAGE_TYPE_NOT_SUPPORTED,
            f"Message type {str(elements[0])[:10]} is not supported",
        )
    if message_type is not MessageType.CALL:
        return _answer(message_type, frame, message_id)
    if message_id is None:
        raise _protocol_error(UNKNOWN_MESSAGE_ID, f"The message id must be 1 to {MAX_MESSAGE_ID_LENGTH} characters")
    return _call(frame, message_id)


def _message_type(value: Any, version: OcppVersion) -> MessageType | None:
    return MessageType(value) if type(value) is int and value in version.message_types else None


def _message_id(elements: list[Any]) -> str | None:
    """The frame's message id, if it is one OCPP-J allows."""
    if len(elements) < 2 or not isinstance(elements[1], str):
        return None
    message_id: str = elements[1]
    return message_id if 0 < len(message_id) <= MAX_MESSAGE_ID_LENGTH else None


def _call(frame: JsonArray, message_id: str) -> Call:
    elements = frame.elements
    if len(elements) > 2 and not isinstance(elements[2], str):
        raise _protocol_error(message_id, "The action must be a string")
    if frame.refused and len(elements) == 3:
        # A number out of range is well-formed JSON holding a value the CSMS cannot take.
        code = ErrorCode.PROPERTY_CONSTRAINT_VIOLATION if frame.refused_number else ErrorCode.FORMAT_VIOLATION
        raise CallErrorReply(message_id, code, f"Payload refused: {frame.refused}")
    if frame.refused or len(elements) != 4:
        raise _protocol_error(message_id, "A CALL has 4 elements: type, id, action, payload")
    _, _, action, payload = elements
    if not isinstance(payload, dict):
        raise CallErrorReply(message_id, ErrorCode.TYPE_CONSTRAINT_VIOLATION, "The payload must be a JSON object")
    return Call(message_id, action, payload)


def _answer(message_type: MessageType, frame: JsonArray, message_id: str | None) -> Answer:
    elements = frame.elements
    if message_id is None:
        return InvalidAnswer(None, f"no message id of 1 to {MAX_MESSAGE_ID_LENGTH} characters")
    if frame.refused:
        return InvalidAnswer(message_id, frame.refused)
    if message_type is MessageType.CALLRESULT:
        if len(elements) != 3 or not isinstance(elements[2], dict):
            return InvalidAnswer(message_id, "a CALLRESULT is [3, id, {payload}]")
        return CallResult(message_id, elements[2])
    if len(elements) != 5 or not isinstance(elements[2], str) or not isinstance(elements[3], str):
        return InvalidAnswer(message_id, "a CALLERROR is [4, id, code, description, {details}]")
    if not isinstance(elements[4], dict):
        return InvalidAnswer(message_id, "a CALLERROR's details must be a JSON object")
    return CallError(message_id, elements[2], elements[3], elements[4])


def _protocol_error(message_id: str, description: str) -> CallErrorReply:
    return CallErrorReply(message_id, ErrorCode.PROTOCOL_ERROR, description)


def encode_call(message_id: str, action: str, payload: dict[str, Any]) -> str:
    return _json([MessageType.CALL, message_id, action, payload])


def encode_result(message_id: str, payload: dict[str, Any]) -> str:
    """A CALLRESULT; raises ValueError for a payload JSON cannot carry (NaN, say)."""
    return _json([MessageType.CALLRESULT, message_id, payload])


def encode_error(reply: CallErrorReply, version: OcppVersion) -> str:
    """A CALLERROR, its code spelled as `version` spells it: the one place codes are spelled."""
    return _json([MessageType.CALLERROR, reply.message_id, version.spell(reply.code), reply.description, reply.details])


def _json(frame: list[Any]) -> str:
    return json.dumps(frame, separators=(",", ":"), allow_nan=False)
