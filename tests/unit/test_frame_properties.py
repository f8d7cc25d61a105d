"""Properties of the frame path over generated frames of both versions, through the `$default` handler.

Valid CALLs are drawn from the official schema of each action the CSMS takes from a charge point;
around them, mutated CALLs (hostile JSON, missing or extra properties, wrong types, bad message ids
and types, truncation), random JSON and random text. Whatever the frame: the handler never raises
and answers it exactly once (a CALLRESULT or CALLERROR gets no answer), with a CALLRESULT valid
against the official schema or a CALLERROR whose code the version defines; a refused frame
changes nothing stored; and the Heartbeat sent next is answered. A CALL carrying hostile JSON
is always refused. Answers to a pending call complete it exactly once. Over the in-memory fakes
and over the DynamoDB adapters on moto.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import boto3
import ocpp.messages
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ocpp.messages import CallResult, _validate_payload

from csms import tables
from csms.composition import Services
from csms.handlers import message
from csms.ocpp.registry import registry
from csms.wire.versions import OcppVersion
from tests.conftest import TEST_ENVIRONMENT
from tests.fakes import RecordingSender, RecordingWorkflows
from tests.hostile_json import HOSTILE_NUMBERS, HOSTILE_OBJECTS, HOSTILE_STRINGS, NESTED_30
from tests.unit.stations import TOKEN, command_on_the_wire, message_event, stored_state
from tests.unit.test_frames import VALID_CODES

V16, V201 = OcppVersion.V16, OcppVersion.V201
SCHEMAS = Path(ocpp.messages.__file__).parent
CALL, CALLRESULT, CALLERROR = 2, 3, 4
PROPERTIES = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

# Generating payloads from the official schemas -------------------------------------------------


def schema(version: OcppVersion, name: str) -> dict[str, Any]:
    folder = SCHEMAS / f"v{version.value.replace('.', '')}" / "schemas"
    loaded: dict[str, Any] = json.loads((folder / f"{name}.json").read_text(encoding="utf-8-sig"))
    return loaded


def request_schema(version: OcppVersion, action: str) -> dict[str, Any]:
    return schema(version, action if version is V16 else f"{action}Request")


TIMESTAMPS = st.datetimes(datetime(2020, 1, 1), datetime(2030, 1, 1)).map(
    lambda moment: moment.isoformat(timespec="milliseconds") + "Z"
)
JSON_LEAVES = st.none() | st.booleans() | st.integers(-(2**31), 2**31 - 1) | st.floats(-1e9, 1e9) | st.text(max_size=10)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


def from_schema(node: dict[str, Any], root: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values valid against a JSON schema node (the subset of Draft 4 the OCPP schemas use)."""
    if "$ref" in node:
        return from_schema(root["definitions"][node["$ref"].rpartition("/")[2]], root)
    if "enum" in node:
        return st.sampled_from(node["enum"])
    kind = node.get("type")
    if kind == "object":
        properties = node.get("properties", {})
        required = set(node.get("required", []))
        return st.fixed_dictionaries(
            {name: from_schema(properties[name], root) for name in properties if name in required},
            optional={name: from_schema(sub, root) for name, sub in properties.items() if name not in required},
        )
    if kind == "array":
        least = node.get("minItems", 0)
        return st.lists(
            from_schema(node["items"], root), min_size=least, max_size=max(least, min(node.get("maxItems", 2), 2))
        )
    if kind == "string":
        if node.get("format") == "date-time":
            return TIMESTAMPS
        return st.text(
            st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=min(node.get("maxLength", 20), 20)
        )
    if kind == "integer":
        return st.integers(node.get("minimum", -(2**31)), node.get("maximum", 2**31 - 1))
    if kind == "number":
        return st.floats(node.get("minimum", -1e9), node.get("maximum", 1e9), allow_nan=False)
    if kind == "boolean":
        return st.booleans()
    return JSON_VALUES  # no type: anything


MESSAGE_IDS = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=36)


@st.composite
def valid_calls(draw: st.DrawFn, version: OcppVersion) -> list[Any]:
    action = draw(st.sampled_from(sorted(registry.actions(version))))
    root = request_schema(version, action)
    return [CALL, draw(MESSAGE_IDS), action, draw(from_schema(root, root))]


# Mutating them ---------------------------------------------------------------------------------

_MARK = "\u0000hostile\u0000"
HOSTILE = st.sampled_from([*HOSTILE_NUMBERS, *HOSTILE_STRINGS, *HOSTILE_OBJECTS, NESTED_30])


def leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths to every value inside `value` (itself included)."""
    found = [path]
    if isinstance(value, dict):
        found += [p for key, inner in value.items() for p in leaves(inner, (*path, key))]
    elif isinstance(value, list):
        found += [p for index, inner in enumerate(value) for p in leaves(inner, (*path, index))]
    return found


def replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = replaced(value[path[0]], path[1:], new)
    return copy


@st.composite
def hostile_calls(draw: st.DrawFn, version: OcppVersion) -> str:
    """A valid CALL with one value anywhere in it (the payload itself included) replaced by hostile JSON."""
    frame = draw(valid_calls(version))
    at = draw(st.sampled_from([(1,), (2,), *[(3, *path) for path in leaves(frame[3])]]))
    return json.dumps(replaced(frame, at, _MARK)).replace(json.dumps(_MARK), draw(HOSTILE))


@st.composite
def mutated_calls(draw: st.DrawFn, version: OcppVersion) -> str:
    frame = draw(valid_calls(version))
    mutation = draw(st.sampled_from(["hostile", "value", "drop", "extra", "id", "type", "truncate", "elements"]))
    payload_paths = [(3, *path) for path in leaves(frame[3])]
    if mutation == "hostile":
        return draw(hostile_calls(version))
    if mutation == "value":
        return json.dumps(replaced(frame, draw(st.sampled_from(payload_paths)), draw(JSON_VALUES)))
    if mutation == "drop" and frame[3]:
        del frame[3][draw(st.sampled_from(sorted(frame[3])))]
    elif mutation == "extra":
        frame[3][draw(st.text(min_size=1, max_size=8))] = draw(JSON_LEAVES)
    elif mutation == "id":
        frame[1] = draw(st.sampled_from(["", "x" * 37, 5, None, ["m"]]))
    elif mutation == "type":
        frame[0] = draw(st.sampled_from([1, 5, 6, 7, "2", True, 2.0, None]))
    elif mutation == "truncate":
        text = json.dumps(frame)
        return text[: draw(st.integers(0, len(text) - 1))]
    elif mutation == "elements":
        frame = draw(st.sampled_from([frame[:3], [*frame, {}], frame[:1], []]))
    return json.dumps(frame)


def random_json_frames() -> st.SearchStrategy[str]:
    arrays = st.lists(JSON_VALUES, max_size=5)
    typed = st.tuples(st.sampled_from([CALL, CALLRESULT, CALLERROR, 7]), MESSAGE_IDS | JSON_LEAVES, JSON_VALUES)
    return (JSON_VALUES | arrays | typed.map(list)).map(json.dumps)


def frames(version: OcppVersion) -> st.SearchStrategy[str]:
    return (
        valid_calls(version).map(json.dumps)
        | mutated_calls(version)
        | random_json_frames()
        | st.text(max_size=40)
        | st.binary(max_size=20).map(lambda raw: raw.decode("latin-1"))
    )


# The charge point, as API Gateway delivers its frames -------------------------------------------


def send(sender: RecordingSender, version: OcppVersion, raw: str, charge_point_id: str = "CP-1") -> list[list[Any]]:
    """Push a frame through the handler; the frames it sent back, decoded (strict JSON)."""
    before = len(sender.sent)
    assert message.handle_message(message_event(version, raw, charge_point_id)) == {"statusCode": 200}
    return [json.loads(frame, parse_constant=_not_json) for _, frame in sender.sent[before:]]


def _not_json(name: str) -> None:
    raise AssertionError(f"{name} in a reply")


def is_answer(raw: str) -> bool:
    """Whether the frame reads as a CALLRESULT or CALLERROR, which nothing answers."""
    try:
        frame = json.loads(raw)
    except (ValueError, RecursionError):
        return False
    return isinstance(frame, list) and bool(frame) and type(frame[0]) is int and frame[0] in (CALLRESULT, CALLERROR)


def check_reply(version: OcppVersion, raw: str, replies: list[list[Any]]) -> list[Any] | None:
    """The one reply a frame must get, checked; None for an answer, which must get none."""
    if is_answer(raw):
        assert replies == [], raw
        return None
    assert len(replies) == 1, (raw, replies)
    reply = replies[0]
    assert isinstance(reply[1], str), reply
    if reply[0] == CALLRESULT:
        call = json.loads(raw)
        assert reply[:2] == [CALLRESULT, call[1]], (raw, reply)
        assert len(reply) == 3, (raw, reply)
        _validate_payload(CallResult(reply[1], reply[2], action=call[2]), version.value)
    else:
        assert reply[0] == CALLERROR, (raw, reply)
        assert len(reply) == 5, (raw, reply)
        assert reply[2] in VALID_CODES[version], (raw, reply)
        assert isinstance(reply[3], str), (raw, reply)
        assert reply[3], (raw, reply)
        assert isinstance(reply[4], dict), (raw, reply)
    return reply


@dataclass(frozen=True)
class Backend:
    """The services `handle_message` runs on, what they store, and how many examples are affordable."""

    services: Services
    stored: Callable[[], Any]
    examples: settings


@pytest.fixture(params=["fakes", "dynamodb"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, version: OcppVersion) -> Backend:
    """The fakes, or the DynamoDB adapters on moto (fewer examples: every one scans the tables twice); CP-1
    connected with `version`."""
    if request.param == "fakes":
        services: Services = request.getfixturevalue("fake_services")
        backend = Backend(services, lambda: _without_frames_sent(stored_state(services)), PROPERTIES)
    else:
        services = request.getfixturevalue("dynamodb_services")
        backend = Backend(services, tables_content, settings(PROPERTIES, max_examples=25))
    monkeypatch.setattr(message, "get_services", lambda: services)
    services.charge_points.connected("CP-1", "conn-CP-1", version)
    return backend


def _without_frames_sent(state: dict[str, Any]) -> dict[str, Any]:
    return {name: content for name, content in state.items() if name != "sender"}


def tables_content() -> dict[str, list[str]]:
    dynamodb = boto3.resource("dynamodb")
    return {
        spec.logical_name: sorted(map(repr, dynamodb.Table(TEST_ENVIRONMENT[spec.env_var]).scan()["Items"]))
        for spec in tables.TABLES
    }


@pytest.mark.parametrize("version", list(OcppVersion))
def test_every_frame_gets_one_valid_reply_a_refused_one_changes_nothing_and_the_next_is_answered(
    backend: Backend, sender: RecordingSender, version: OcppVersion
) -> None:
    @backend.examples
    @given(raw=frames(version))
    def every_frame(raw: str) -> None:
        before = backend.stored()

        reply = check_reply(version, raw, send(sender, version, raw))

        if reply is not None and reply[0] == CALLERROR:
            assert backend.stored() == before, raw
        assert_heartbeat_answered(sender, version)

    every_frame()


@pytest.mark.parametrize("version", list(OcppVersion))
def test_a_call_carrying_json_ocpp_j_refuses_is_refused_and_changes_nothing(
    backend: Backend, sender: RecordingSender, version: OcppVersion
) -> None:
    @backend.examples
    @given(raw=hostile_calls(version))
    def hostile_call(raw: str) -> None:
        before = backend.stored()

        reply = check_reply(version, raw, send(sender, version, raw))

        assert reply is not None
        assert reply[0] == CALLERROR, raw
        assert backend.stored() == before, raw
        assert_heartbeat_answered(sender, version)

    hostile_call()


def assert_heartbeat_answered(sender: RecordingSender, version: OcppVersion) -> None:
    heartbeat = send(sender, version, '[2, "hb", "Heartbeat", {}]')
    assert [frame[:2] for frame in heartbeat] == [[CALLRESULT, "hb"]]


@st.composite
def answers(draw: st.DrawFn, version: OcppVersion, message_id: str) -> str:
    """An answer to a Reset: valid, schema-breaking or hostile, to that call or to another."""
    answered = draw(st.sampled_from([message_id, message_id, "other-id", "", 7]))
    root = schema(version, "ResetResponse" if version is V201 else "Reset")
    payload = draw(from_schema(root, root) | JSON_VALUES)
    frame = draw(
        st.sampled_from(
            [
                [CALLRESULT, answered, payload],
                [CALLERROR, answered, draw(st.sampled_from(["GenericError", "NotSupported", 5])), "no", payload],
                [CALLRESULT, answered],
            ]
        )
    )
    text = json.dumps(frame)
    if draw(st.booleans()):  # something hostile in the payload
        text = text.replace(json.dumps(payload), json.dumps({"x": _MARK})).replace(json.dumps(_MARK), draw(HOSTILE))
    return text


@pytest.mark.parametrize("version", list(OcppVersion))
def test_an_answer_is_never_answered_and_completes_the_call_it_answers_once(
    backend: Backend, sender: RecordingSender, workflows: RecordingWorkflows, version: OcppVersion
) -> None:
    @backend.examples
    @given(data=st.data())
    def answer(data: st.DataObject) -> None:
        # A charge point of its own for each example: its Reset is the one call outstanding
        charge_point_id = f"ANSWERING-{len(workflows.started)}"
        backend.services.charge_points.connected(charge_point_id, f"conn-{charge_point_id}", version)
        reset = {"type": "Hard" if version is V16 else "Immediate"}
        message_id = command_on_the_wire(backend.services, charge_point_id, "Reset", reset)
        completed_before = completions(workflows)
        raw = data.draw(answers(version, message_id), label="answer")

        replies = send(sender, version, raw, charge_point_id)

        assert replies == []
        assert completions(workflows) - completed_before == (1 if json.loads(raw)[1] == message_id else 0), raw

    answer()


def completions(workflows: RecordingWorkflows) -> int:
    """How often the Send step's token was completed, either way."""
    return sum(token == TOKEN for token, *_ in [*workflows.succeeded, *workflows.failed])
