"""`StepFunctionsWorkflows` with botocore's Stubber: starting executions and completing tokens."""

import json
from collections.abc import Iterator

import pytest
from botocore.stub import Stubber

from csms.adapters import step_functions
from csms.adapters.step_functions import INVALID_TOKEN_ATTEMPTS, StepFunctionsWorkflows

STATE_MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:commands"


@pytest.fixture
def workflows(monkeypatch: pytest.MonkeyPatch) -> StepFunctionsWorkflows:
    monkeypatch.setattr(step_functions, "INVALID_TOKEN_BACKOFF_SECONDS", 0)
    return StepFunctionsWorkflows(STATE_MACHINE)


@pytest.fixture
def stub(workflows: StepFunctionsWorkflows) -> Iterator[Stubber]:
    with Stubber(workflows._client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def test_an_execution_is_started_under_the_commands_id(workflows: StepFunctionsWorkflows, stub: Stubber) -> None:
    execution_input = {"commandId": "cmd-1", "timeoutSeconds": 30}
    arn = f"{STATE_MACHINE.replace('stateMachine', 'execution')}:cmd-1"
    stub.add_response(
        "start_execution",
        {"executionArn": arn, "startDate": "2026-11-23T12:00:00Z"},
        {"stateMachineArn": STATE_MACHINE, "name": "cmd-1", "input": json.dumps(execution_input)},
    )

    assert workflows.start("cmd-1", execution_input) == arn


def test_success_carries_the_output(workflows: StepFunctionsWorkflows, stub: Stubber) -> None:
    stub.add_response("send_task_success", {}, {"taskToken": "t", "output": '{"waiting": false}'})

    workflows.succeed("t", {"waiting": False})


def test_failure_is_cut_to_step_functions_limits(workflows: StepFunctionsWorkflows, stub: Stubber) -> None:
    stub.add_response("send_task_failure", {}, {"taskToken": "t", "error": "E" * 256, "cause": "c" * 32768})

    workflows.fail("t", "E" * 300, "c" * 40000)


def test_a_token_refused_as_invalid_is_sent_again(workflows: StepFunctionsWorkflows, stub: Stubber) -> None:
    """Right after a task is scheduled its token may not be known yet."""
    stub.add_client_error("send_task_success", "InvalidToken")
    stub.add_client_error("send_task_success", "InvalidToken")
    stub.add_response("send_task_success", {})

    workflows.succeed("t", {})


def test_a_token_that_stays_invalid_is_given_up(workflows: StepFunctionsWorkflows, stub: Stubber) -> None:
    for _ in range(INVALID_TOKEN_ATTEMPTS):
        stub.add_client_error("send_task_failure", "InvalidToken")

    workflows.fail("t", "Offline", "gone")  # no exception: a late answer must not break the handler


@pytest.mark.parametrize("code", ["TaskTimedOut", "TaskDoesNotExist"])
def test_a_task_no_longer_waiting_is_ignored(workflows: StepFunctionsWorkflows, stub: Stubber, code: str) -> None:
    stub.add_client_error("send_task_success", code)

    workflows.succeed("t", {})


def test_other_errors_surface(workflows: StepFunctionsWorkflows, stub: Stubber) -> None:
    stub.add_client_error("send_task_success", "InvalidOutput")

    with pytest.raises(Exception, match="InvalidOutput"):
        workflows.succeed("t", {})
