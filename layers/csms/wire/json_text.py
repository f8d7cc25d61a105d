"""The JSON OCPP-J carries: RFC 8259 text within I-JSON's limits (RFC 7493), nested no deeper than reason.

Python's `json` accepts more than that: NaN and ±Infinity, numbers that overflow to infinity or
underflow to zero, integers of any size, lone surrogates (`"\\ud800"`), duplicate or empty member
names and any depth up to its recursion limit. None of these can be stored or passed on safely, so a frame
carrying one is refused here, before anything acts on it.

Arrays are decoded element by element (`array_elements`), each element once: when an element is
refused, the elements before it (a frame's message type and id) are still known.
"""

import json
import re
from dataclasses import dataclass
from typing import Any

# Containers nested deeper than this are refused. The deepest OCPP message (ReportChargingProfiles
# in 2.0.1) nests 13 levels in its frame; DynamoDB stores at most 32.
MAX_DEPTH = 24
# I-JSON: integers beyond ±(2**53 - 1) are not exact in every JSON implementation.
MAX_INTEGER = 2**53 - 1
# Other numbers: zero, or a magnitude in this range (every store of the CSMS holds it).
SMALLEST_MAGNITUDE, LARGEST_MAGNITUDE = 1e-100, 1e100

_WHITESPACE = re.compile(r"[ \t\n\r]*")


class NotJsonError(Exception):
    """The text is not JSON at all."""


class RefusedJsonError(Exception):
    """JSON text carrying something OCPP-J does not allow; the message says what."""


class OutOfRangeNumberError(RefusedJsonError):
    """A JSON number the CSMS does not take: valid JSON, but a value no field of OCPP can hold here."""


class NotAnArrayError(Exception):
    """JSON, but not an array."""


@dataclass(frozen=True)
class JsonArray:
    """The elements of a JSON array, up to the first refused one (`refused` says why it was)."""

    elements: list[Any]
    refused: str | None = None
    # The refused element is valid JSON with a number out of range (a value, not a format, problem).
    refused_number: bool = False


def _refuse_constant(name: str) -> Any:
    raise RefusedJsonError(f"{name} is not a JSON number")


def _number(text: str) -> float:
    value = float(text)
    mantissa = text.lower().partition("e")[0]
    if value == 0 and not mantissa.strip("-+.0"):
        return value
    if not SMALLEST_MAGNITUDE <= abs(value) <= LARGEST_MAGNITUDE:
        raise OutOfRangeNumberError(f"{text} is out of range")
    return value


def _integer(text: str) -> int:
    # The length first: int() of thousands of digits is slow (and refused beyond 4300).
    if len(text) <= len(str(-MAX_INTEGER)):
        value = int(text)
        if abs(value) <= MAX_INTEGER:
            return value
    raise OutOfRangeNumberError(f"{text[:20]} is beyond the integers JSON carries exactly")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    members = dict(pairs)
    if len(members) != len(pairs):
        raise RefusedJsonError("an object has a member name twice")
    if "" in members:  # no OCPP object has one, and DynamoDB cannot store it
        raise RefusedJsonError("an object has an empty member name")
    return members


_DECODER = json.JSONDecoder(
    parse_float=_number, parse_int=_integer, parse_constant=_refuse_constant, object_pairs_hook=_object
)


def _check(value: Any, depth: int) -> None:
    """Refuse lone surrogates in strings and names, and containers below `MAX_DEPTH` (iteratively)."""
    pending = [(value, depth)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, str):
            _check_unicode(item)
            continue
        if isinstance(item, dict | list) and level > MAX_DEPTH:
            raise RefusedJsonError(f"nested deeper than {MAX_DEPTH} levels")
        if isinstance(item, dict):
            for name, inner in item.items():
                _check_unicode(name)
                pending.append((inner, level + 1))
        elif isinstance(item, list):
            pending.extend((inner, level + 1) for inner in item)


def _check_unicode(text: str) -> None:
    if text.isascii():
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise RefusedJsonError("a string has a lone surrogate") from error


def _decode_at(text: str, index: int, depth: int) -> tuple[Any, int]:
    """The JSON value at `index` and where it ends; raises `NotJsonError` or `RefusedJsonError`."""
    try:
        value, end = _DECODER.raw_decode(text, index)
    except json.JSONDecodeError as error:
        raise NotJsonError(str(error)) from error
    except RecursionError as error:
        raise RefusedJsonError("nested too deeply") from error
    _check(value, depth)
    return value, end


def _skip_whitespace(text: str, index: int) -> int:
    return _WHITESPACE.match(text, index).end()  # type: ignore[union-attr]  # matches the empty string


def _at_end(text: str, index: int) -> None:
    if _skip_whitespace(text, index) != len(text):
        raise NotJsonError(f"Extra data at {index}")


def array_elements(text: str) -> JsonArray:
    """The elements of the JSON array `text`, decoded one after another.

    Raises `NotJsonError` when the text (up to a refused element) is not JSON, `RefusedJsonError`
    when it is JSON but no array and carries something refused, and `NotAnArrayError` when it is
    other JSON.
    """
    index = _skip_whitespace(text, 0)
    if not text.startswith("[", index):
        _, end = _decode_at(text, index, depth=1)
        _at_end(text, end)
        raise NotAnArrayError
    elements: list[Any] = []
    index = _skip_whitespace(text, index + 1)
    if text.startswith("]", index):
        _at_end(text, index + 1)
        return JsonArray(elements)
    while True:
        try:
            element, index = _decode_at(text, index, depth=2)
        except RefusedJsonError as refused:
            return JsonArray(elements, str(refused), isinstance(refused, OutOfRangeNumberError))
        elements.append(element)
        index = _skip_whitespace(text, index)
        if text.startswith("]", index):
            _at_end(text, index + 1)
            return JsonArray(elements)
        if not text.startswith(",", index):
            raise NotJsonError(f"Expecting ',' delimiter at {index}")
        index = _skip_whitespace(text, index + 1)
