"""The command state machine's definition: every step goes to the worker, every failure is recorded."""

import json
from typing import Any

import pytest

from csms.commands.workflow_definition import (
    AWAIT_RECONNECT_SINCE,
    QUEUE_CHECK_SECONDS,
    RESUME,
    RESUME_FOLLOW_UP,
    STILL_WAITING,
    TASK_RESOURCE,
    Step,
    StepError,
    command_workflow_definition,
)

QUEUE_URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/steps"


@pytest.fixture
def states() -> dict[str, dict[str, Any]]:
    definition = command_workflow_definition(QUEUE_URL)
    assert definition["StartAt"] == RESUME
    states: dict[str, dict[str, Any]] = definition["States"]
    return states


def tasks(states: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {name: state for name, state in states.items() if state["Type"] == "Task"}


def test_every_task_is_a_worker_step_sent_to_the_queue_with_its_token(states: dict[str, dict[str, Any]]) -> None:
    assert set(tasks(states)) == {step.value for step in Step}
    for name, state in tasks(states).items():
        assert state["Resource"] == TASK_RESOURCE
        assert state["Parameters"] == {
            "QueueUrl": QUEUE_URL,
            "MessageBody": {"step": name, "taskToken.$": "$$.Task.Token", "input.$": "$"},
        }


def test_every_transition_leads_to_a_state(states: dict[str, dict[str, Any]]) -> None:
    targets = {state["Next"] for state in states.values() if "Next" in state}
    targets |= {choice["Next"] for state in states.values() for choice in state.get("Choices", [])}
    targets |= {state["Default"] for state in states.values() if "Default" in state}
    targets |= {catch["Next"] for state in states.values() for catch in state.get("Catch", [])}
    assert targets <= set(states)
    assert set(states) == targets | {RESUME}


def test_the_answer_timeout_comes_from_the_input_and_send_is_never_retried(
    states: dict[str, dict[str, Any]],
) -> None:
    send = states[Step.SEND]
    assert send["TimeoutSecondsPath"] == "$.timeoutSeconds"
    assert "Retry" not in send  # a retried task may keep its token: a late answer must not resume another attempt
    assert send["ResultPath"] == "$.answer"


def test_a_queued_command_waits_for_its_turn_checking_the_queue_every_minute(
    states: dict[str, dict[str, Any]],
) -> None:
    acquire = states[Step.ACQUIRE_LOCK]
    assert acquire["TimeoutSeconds"] == QUEUE_CHECK_SECONDS == 60
    # Still queued after a check: round again with a new token, the state input unchanged
    still_waiting, *others = acquire["Catch"]
    assert still_waiting == {"ErrorEquals": [StepError.TIMEOUT], "ResultPath": None, "Next": STILL_WAITING}
    assert states[STILL_WAITING] == {"Type": "Pass", "Next": Step.ACQUIRE_LOCK}
    assert others == [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.failure", "Next": "RecordFailure"}]
    # No busy retries: the queue says when its turn comes
    assert [retry["ErrorEquals"] for retry in acquire["Retry"]] == [[StepError.WORKER_ERROR]]


def test_every_failure_before_the_end_is_recorded(states: dict[str, dict[str, Any]]) -> None:
    for name, state in tasks(states).items():
        if name == Step.RECORD_FAILURE:
            # A recorded failure is a normal end: only a broken workflow fails its execution
            assert states[state["Next"]] == {"Type": "Succeed"}
            assert "Catch" not in state
            continue
        assert state["Catch"][-1] == {"ErrorEquals": ["States.ALL"], "ResultPath": "$.failure", "Next": "RecordFailure"}


def test_no_step_waits_forever(states: dict[str, dict[str, Any]]) -> None:
    for state in tasks(states).values():
        assert "TimeoutSeconds" in state or "TimeoutSecondsPath" in state


def test_follow_ups_loop_through_a_wait_until_the_worker_says_done(states: dict[str, dict[str, Any]]) -> None:
    assert states[Step.RECORD_ANSWER]["ResultPath"] == states[Step.CHECK_FOLLOW_UP]["ResultPath"] == "$.followUp"
    (choice,) = states["FollowUpPending"]["Choices"]
    assert choice == {"Variable": "$.followUp.waiting", "BooleanEquals": True, "Next": "WaitForFollowUp"}
    assert states["WaitForFollowUp"] == {
        "Type": "Wait",
        "SecondsPath": "$.followUp.waitSeconds",
        "Next": Step.CHECK_FOLLOW_UP,
    }


def test_the_definition_is_json(states: dict[str, dict[str, Any]]) -> None:
    assert json.loads(json.dumps(command_workflow_definition(QUEUE_URL)))["States"] == states


def test_an_execution_started_as_usual_goes_from_resume_to_acquire_lock(states: dict[str, dict[str, Any]]) -> None:
    resume = states[RESUME]
    assert resume["Default"] == Step.ACQUIRE_LOCK
    # Each rule only tests whether an optional field is there (comparing a missing one is an error)
    assert resume["Choices"] == [
        {"Variable": f"$.{RESUME_FOLLOW_UP}", "IsPresent": True, "Next": Step.CHECK_FOLLOW_UP},
        {"Variable": f"$.{AWAIT_RECONNECT_SINCE}", "IsPresent": True, "Next": Step.AWAIT_CHARGER},
    ]


def test_a_command_resumed_before_it_was_sent_loops_through_a_wait_until_its_charger_is_back(
    states: dict[str, dict[str, Any]],
) -> None:
    assert states[Step.AWAIT_CHARGER]["ResultPath"] == "$.reconnect"
    assert states[Step.AWAIT_CHARGER]["Next"] == "ChargerBack"
    assert states["ChargerBack"] == {
        "Type": "Choice",
        "Choices": [{"Variable": "$.reconnect.waiting", "BooleanEquals": True, "Next": "WaitForCharger"}],
        "Default": Step.ACQUIRE_LOCK,
    }
    assert states["WaitForCharger"] == {
        "Type": "Wait",
        "SecondsPath": "$.reconnect.waitSeconds",
        "Next": Step.AWAIT_CHARGER,
    }
