"""A charge point's answer carrying content OCPP-J does not allow, over the fakes and over DynamoDB on moto.

It fails the command it answers as InvalidResponse, or is dropped when it can answer none; it is
never answered, and the dispatcher never raises (on moto such values used to crash the write of
the answer, which API Gateway turns into "Internal server error" for the charge point).
"""

import json

import pytest

from csms.commands.workflow_definition import StepError
from csms.composition import Services
from csms.wire.versions import OcppVersion
from tests.fakes import RecordingWorkflows
from tests.hostile_json import HOSTILE_NUMBERS, HOSTILE_OBJECTS, HOSTILE_STRINGS, NESTED_30, NESTED_5000
from tests.unit.stations import TOKEN, Station, command_on_the_wire

V16, V201 = OcppVersion.V16, OcppVersion.V201

# An answer to a Reset, with `{value}` where the hostile JSON goes: for 2.0.1 in `customData`, which
# takes anything, so that only the wire can refuse it.
RESULT = {
    "CP-1": '[3, "{id}", {{"status": "Accepted", "x": {value}}}]',
    "CP-2": '[3, "{id}", {{"status": "Accepted", "customData": {{"vendorId": "V", "x": {value}}}}}]',
}
HOSTILE_ANSWERS = [
    *[pytest.param(None, n, id=f"result-{n}") for n in HOSTILE_NUMBERS],
    *[pytest.param(None, s, id=f"result-{s}") for s in HOSTILE_STRINGS],
    pytest.param(None, NESTED_30, id="result-nested-30"),
    pytest.param(None, NESTED_5000, id="result-nested-5000"),
    *[pytest.param(None, o, id=f"result-{o}") for o in HOSTILE_OBJECTS],
    pytest.param('[3, "{id}", {value}]', '"Accepted"', id="result-payload-not-an-object"),
    pytest.param('[3, "{id}", {{"status": "Accepted"}}, {value}]', "{}", id="result-extra-element"),
    pytest.param('[3, "{id}"{value}]', "", id="result-without-payload"),
    pytest.param('[4, "{id}", "GenericError", "x", {{"n": {value}}}]', "NaN", id="error-details-NaN"),
    pytest.param('[4, "{id}", "GenericError", {value}, {{}}]', '"\\ud800"', id="error-description-surrogate"),
    pytest.param('[4, "{id}", {value}, "x", {{}}]', '"\\ud800"', id="error-code-surrogate"),
    pytest.param('[4, "{id}", {value}, "x", {{}}]', "5", id="error-code-not-a-string"),
    pytest.param('[4, "{id}", "GenericError", "x", {value}]', "[]", id="error-details-not-an-object"),
    pytest.param('[4, "{id}", "GenericError", "x", {value}]', NESTED_5000, id="error-details-nested-5000"),
]


@pytest.fixture(params=["fake_services", "dynamodb_services"])
def services(request: pytest.FixtureRequest) -> Services:
    """Both charge points connected, over the fakes and over the DynamoDB adapters on moto."""
    services: Services = request.getfixturevalue(request.param)
    services.charge_points.connected("CP-1", "conn-1", V16)
    services.charge_points.connected("CP-2", "conn-2", V201)
    return services


def station(services: Services, charge_point_id: str) -> Station:
    version = V16 if charge_point_id == "CP-1" else V201
    return Station(services, version, charge_point_id=charge_point_id, connection_id=f"conn-{charge_point_id[-1]}")


@pytest.mark.parametrize("charge_point_id", ["CP-1", "CP-2"])
@pytest.mark.parametrize(("template", "value"), HOSTILE_ANSWERS)
def test_a_hostile_answer_to_a_pending_call_fails_it_as_an_invalid_response(
    services: Services, workflows: RecordingWorkflows, charge_point_id: str, template: str | None, value: str
) -> None:
    # Given a Reset on the wire
    reset = {"type": "Hard"} if charge_point_id == "CP-1" else {"type": "Immediate"}
    message_id = command_on_the_wire(services, charge_point_id, "Reset", reset)

    # When the charge point answers it with JSON OCPP-J does not allow
    frame = (template or RESULT[charge_point_id]).format(id=message_id, value=value)
    reply = station(services, charge_point_id).send(frame)

    # Then nothing is sent back, and the Send task fails as an invalid response
    assert reply is None
    assert [(token, error) for token, error, _ in workflows.failed] == [(TOKEN, StepError.INVALID_RESPONSE)]
    assert TOKEN not in [token for token, _ in workflows.succeeded]


@pytest.mark.parametrize("charge_point_id", ["CP-1", "CP-2"])
@pytest.mark.parametrize(
    "frame",
    [
        pytest.param('[3, "", {"status": "Accepted"}]', id="empty-id"),
        pytest.param(json.dumps([3, "x" * 2000, {"status": "Accepted"}]), id="2000-character-id"),
        pytest.param('[3, "\\ud800", {"status": "Accepted"}]', id="surrogate-id"),
        pytest.param('[3, 5, {"status": "Accepted"}]', id="numeric-id"),
        pytest.param('[3, null, {"status": "Accepted"}]', id="null-id"),
        pytest.param('[3, "unknown", {"status": NaN}]', id="unknown-id-NaN"),
        pytest.param('[4, "", "GenericError", "x", {}]', id="error-empty-id"),
        pytest.param('[4, 7, "GenericError", "x", {}]', id="error-numeric-id"),
        pytest.param("[3]", id="result-without-id"),
        pytest.param("[4]", id="error-without-id"),
    ],
)
def test_an_answer_that_matches_no_pending_call_is_dropped_without_a_reply(
    services: Services, workflows: RecordingWorkflows, charge_point_id: str, frame: str
) -> None:
    # Given a Reset on the wire
    reset = {"type": "Hard"} if charge_point_id == "CP-1" else {"type": "Immediate"}
    command_on_the_wire(services, charge_point_id, "Reset", reset)

    # When the charge point sends an answer whose message id cannot be one the CSMS sent
    reply = station(services, charge_point_id).send(frame)

    # Then nothing is sent back and the pending call still waits for its answer
    assert reply is None
    assert workflows.failed == []
    assert TOKEN not in [token for token, _ in workflows.succeeded]
