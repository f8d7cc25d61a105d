"""A charge point's CALLRESULT or CALLERROR, through the `$default` dispatcher, resumes the workflow."""

import json

import pytest

from csms.commands.workflow_definition import Step, StepError
from csms.composition import Services
from csms.wire.versions import OcppVersion
from tests.fakes import FixedClock, RecordingSender, RecordingWorkflows
from tests.unit.stations import LOCK_TOKEN, TOKEN, Station, command_on_the_wire

V16, V201 = OcppVersion.V16, OcppVersion.V201
ANSWERED_AT = "2026-11-23T12:00:00.000Z"


@pytest.fixture
def services(fake_services: Services) -> Services:
    fake_services.charge_points.connected("CP-1", "conn-1", V16)
    fake_services.charge_points.connected("CP-2", "conn-2", V201)
    return fake_services


def next_command_gets_its_turn(services: Services, workflows: RecordingWorkflows, charge_point_id: str) -> bool:
    """Whether a command submitted now is given the charge point at once (its AcquireLock completes)."""
    command = services.commands.submit(charge_point_id, "ClearCache", {})
    state = {"commandId": command.command_id, "timeoutSeconds": 30}
    services.command_workflow.perform(Step.ACQUIRE_LOCK, state, "next-lock-token")
    return ("next-lock-token", {}) in workflows.succeeded


def station(services: Services, charge_point_id: str) -> Station:
    version = V16 if charge_point_id == "CP-1" else V201
    return Station(services, version, charge_point_id=charge_point_id)


def test_a_valid_callresult_resumes_the_workflow_with_the_response(
    services: Services, workflows: RecordingWorkflows, sender: RecordingSender
) -> None:
    # Given a GetConfiguration on the wire to a 1.6 charge point
    message_id = command_on_the_wire(services, "CP-1", "GetConfiguration", {"key": ["HeartbeatInterval"]})
    response = {"configurationKey": [{"key": "HeartbeatInterval", "readonly": False, "value": "300"}]}

    # When the charge point answers it
    reply = station(services, "CP-1").send(json.dumps([3, message_id, response]))

    # Then nothing is sent back, the Send task succeeds with the response and when it came,
    assert reply is None
    assert len(sender.sent) == 1  # the CALL itself
    assert workflows.succeeded[-1] == (TOKEN, {"response": response, "answeredAt": ANSWERED_AT})
    # and the charge point is free for the next command
    assert next_command_gets_its_turn(services, workflows, "CP-1")


def test_a_callresult_is_validated_against_the_action_that_was_sent(
    services: Services, workflows: RecordingWorkflows
) -> None:
    # Given a Reset on the wire (its response needs a status of Accepted or Rejected)
    message_id = command_on_the_wire(services, "CP-2", "Reset", {"type": "Immediate"})

    # When the charge point answers with a response that is valid for another action only
    station(services, "CP-2").send(json.dumps([3, message_id, {"status": "Unlocked"}]))

    # Then the Send task fails as an invalid response, with the schema's complaint
    cause = (
        "FormatViolation: Payload '{'status': 'Unlocked'}' for action 'Reset' is not valid: "
        "'Unlocked' is not one of ['Accepted', 'Rejected', 'Scheduled']"
    )
    assert workflows.failed == [(TOKEN, StepError.INVALID_RESPONSE, cause)]
    assert next_command_gets_its_turn(services, workflows, "CP-2")


def test_a_callerror_fails_the_workflow_with_its_code_and_description(
    services: Services, workflows: RecordingWorkflows, clock: FixedClock
) -> None:
    message_id = command_on_the_wire(services, "CP-1", "ClearCache", {})

    station(services, "CP-1").send(json.dumps([4, message_id, "NotSupported", "No cache here", {}]))

    assert workflows.failed == [(TOKEN, "NotSupported", "No cache here")]
    answer = services.repositories.calls.answer("CP-1", message_id)
    assert answer is not None
    assert answer.answered_at == clock.now()
    assert next_command_gets_its_turn(services, workflows, "CP-1")


def test_decimal_schemas_still_give_a_json_response(services: Services, workflows: RecordingWorkflows) -> None:
    """1.6 GetCompositeSchedule responses are validated with Decimals (multipleOf 0.1)."""
    message_id = command_on_the_wire(services, "CP-1", "GetCompositeSchedule", {"connectorId": 1, "duration": 3600})
    schedule = {"chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16.1}]}
    response = {"status": "Accepted", "connectorId": 1, "chargingSchedule": schedule}

    station(services, "CP-1").send(json.dumps([3, message_id, response]))

    _, output = workflows.succeeded[-1]
    assert output["response"] == response
    json.dumps(output)  # what SendTaskSuccess will do


def test_only_the_first_answer_counts(services: Services, workflows: RecordingWorkflows) -> None:
    message_id = command_on_the_wire(services, "CP-1", "ClearCache", {})
    cp = station(services, "CP-1")

    cp.send(json.dumps([3, message_id, {"status": "Accepted"}]))
    cp.send(json.dumps([3, message_id, {"status": "Rejected"}]))
    cp.send(json.dumps([4, message_id, "GenericError", "late", {}]))

    assert [output for token, output in workflows.succeeded if token == TOKEN] == [
        {"response": {"status": "Accepted"}, "answeredAt": ANSWERED_AT}
    ]
    assert workflows.failed == []


def test_an_answer_from_another_charge_point_does_not_match(services: Services, workflows: RecordingWorkflows) -> None:
    message_id = command_on_the_wire(services, "CP-1", "ClearCache", {})

    station(services, "CP-2").send(json.dumps([3, message_id, {"status": "Accepted"}]))

    assert [token for token, _ in workflows.succeeded] == [LOCK_TOKEN]
    assert not next_command_gets_its_turn(services, workflows, "CP-1")
