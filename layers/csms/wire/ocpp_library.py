"""What the CSMS takes from the `ocpp` library: the official schemas, its dataclasses' payload form, its errors.

Everything of the library that is not its public API is used here and nowhere else, and why:

* `ocpp.messages._validate_payload`: the public `validate_payload` is a coroutine that runs the
  validation in a thread pool unless the module-global `ASYNC_VALIDATION` is switched off, which
  would switch it off for every user of the library in the process. A Lambda function handles
  one frame at a time without an event loop, so the synchronous function that coroutine wraps
  is called directly, and the global is left alone.
* `ocpp.charge_point.camel_to_snake_case`, `snake_to_camel_case`, `remove_nones`: the library's
  conversion between its snake_case dataclasses and camelCase payloads lives beside its
  `ChargePoint` (which cannot work across Lambda invocations), not in a public module.

Both modules are imported on first use: they load jsonschema, which a cold start of a function
that exchanges no frame never needs (`bench.cold_import`).
"""

import decimal
import importlib
import json
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ocpp.exceptions import OCPPError

from csms.wire.errors import CallErrorReply, ErrorCode
from csms.wire.frames import Call, CallResult
from csms.wire.versions import MessageType, OcppVersion

if TYPE_CHECKING:
    import ocpp.messages


def _messages() -> ModuleType:
    return importlib.import_module("ocpp.messages")


def _charge_point() -> ModuleType:
    return importlib.import_module("ocpp.charge_point")


def load() -> None:
    """Import the library's frames and schema validation (with jsonschema), which the first frame otherwise does."""
    _messages()
    _charge_point()


# The library's codes (it raises either spelling of some) as the program names them.
_CODES = {
    "FormatViolation": ErrorCode.FORMAT_VIOLATION,
    "FormationViolation": ErrorCode.FORMAT_VIOLATION,
    "GenericError": ErrorCode.GENERIC_ERROR,
    "InternalError": ErrorCode.INTERNAL_ERROR,
    "NotImplemented": ErrorCode.NOT_IMPLEMENTED,
    "NotSupported": ErrorCode.NOT_SUPPORTED,
    "OccurrenceConstraintViolation": ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION,
    "OccurenceConstraintViolation": ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION,
    "PropertyConstraintViolation": ErrorCode.PROPERTY_CONSTRAINT_VIOLATION,
    "ProtocolError": ErrorCode.PROTOCOL_ERROR,
    "SecurityError": ErrorCode.SECURITY_ERROR,
    "TypeConstraintViolation": ErrorCode.TYPE_CONSTRAINT_VIOLATION,
}


def validate_call(call: Call, version: OcppVersion) -> None:
    """Validate a CALL's payload against the official schema; raises `CallErrorReply`."""
    _validate(_messages().Call(call.message_id, call.action, call.payload), version)


def validate_result(result: CallResult, action: str, version: OcppVersion) -> None:
    """Validate a CALLRESULT's payload against the schema of the `action` it answers; raises `CallErrorReply`."""
    _validate(_messages().CallResult(result.message_id, result.payload, action=action), version)


def _validate(message: "ocpp.messages.Call | ocpp.messages.CallResult", version: OcppVersion) -> None:
    # For some 1.6 actions the library replaces `message.payload` (re-parsed with Decimals): the
    # attribute of this library object, never the caller's payload.
    try:
        _messages()._validate_payload(message, version.value)
    except OCPPError as error:
        raise call_error_for(message.unique_id, error) from error


# The library validates these 1.6 requests with Decimal floats (their schemas use multipleOf 0.1)
# and caches the validator per action, made with whichever `parse_float` asked first: every caller
# must ask as `_validate_payload` does, or a float validator cached first fails on Decimals.
_DECIMAL_REQUESTS = {OcppVersion.V16: {"SetChargingProfile", "RemoteStartTransaction"}}


def _parse_float(action: str, version: OcppVersion) -> Callable[[str], Any]:
    return decimal.Decimal if action in _DECIMAL_REQUESTS.get(version, set()) else float


def request_violations(action: str, payload: dict[str, Any], version: OcppVersion) -> list[str]:
    """Every way `payload` breaks the official schema of `action`'s request, as "path: reason".

    The library's validation stops at the first violation; its (public) validator lists them all.
    """
    parse_float = _parse_float(action, version)
    validator = _messages().get_validator(MessageType.CALL, action, version.value, parse_float=parse_float)
    instance = json.loads(json.dumps(payload), parse_float=parse_float)
    return [
        f"{'/'.join(str(part) for part in error.absolute_path) or 'payload'}: {error.message}"
        for error in sorted(validator.iter_errors(instance), key=lambda error: list(map(str, error.absolute_path)))
    ]


def request_schema(action: str, version: OcppVersion) -> dict[str, Any]:
    """The official JSON schema of `action`'s request in `version`, as plain JSON (a copy: numbers as floats,
    whether or not the library read the schema with decimals)."""
    parse_float = _parse_float(action, version)
    schema = _messages().get_validator(MessageType.CALL, action, version.value, parse_float=parse_float).schema
    copy: dict[str, Any] = json.loads(json.dumps(schema, default=float))
    return copy


def call_error_for(message_id: str, error: OCPPError) -> CallErrorReply:
    """The CALLERROR a library error stands for."""
    details = error.details if isinstance(error.details, dict) else {}
    return CallErrorReply(
        message_id,
        _CODES.get(error.code, ErrorCode.GENERIC_ERROR),
        error.description or error.code,
        _json_safe(details),
    )


def _json_safe(details: dict[str, object]) -> dict[str, object]:
    """Error details without the library's embedded message objects (not JSON serializable)."""
    return {
        key: value if isinstance(value, str | int | float | bool) else str(value)
        for key, value in details.items()
        if key != "ocpp_message"
    }


@cache
def _actions(version: OcppVersion) -> frozenset[str]:
    enums = importlib.import_module(f"ocpp.v{version.value.replace('.', '')}.enums")
    return frozenset(action.value for action in enums.Action)


def is_known_action(action: str, version: OcppVersion) -> bool:
    """Whether OCPP `version` defines `action` at all (in either direction)."""
    return action in _actions(version)


def to_snake_case(payload: dict[str, Any]) -> dict[str, Any]:
    """A camelCase payload as keyword arguments of the library's dataclass."""
    result: dict[str, Any] = _charge_point().camel_to_snake_case(payload)
    return result


def to_payload(response: Any) -> dict[str, Any]:
    """A library dataclass (or snake_case dict) as the camelCase JSON object OCPP expects."""
    data = asdict(response) if is_dataclass(response) and not isinstance(response, type) else response
    library = _charge_point()
    result: dict[str, Any] = library.snake_to_camel_case(library.remove_nones(data))
    return result
