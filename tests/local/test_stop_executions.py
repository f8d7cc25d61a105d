"""Stopping the workflows at shutdown: an execution started a moment before, whose worker thread moto has not
started yet (moto then fails with an AttributeError), is asked again until it stops."""

from __future__ import annotations

import pytest

from csms.local import aws_backend


class StartingExecutions:
    """Step Functions as moto answers StopExecution for an execution whose worker starts after `starting` asks."""

    def __init__(self, starting: int) -> None:
        self.starting = starting
        self.asked = 0

    def stop_execution(self, executionArn: str) -> dict[str, str]:
        self.asked += 1
        if self.asked <= self.starting:
            raise AttributeError("'NoneType' object has no attribute 'set_stop'")
        return {"stopDate": "now"}


def test_an_execution_still_starting_is_asked_again_until_it_stops() -> None:
    stepfunctions = StartingExecutions(starting=3)
    aws_backend._stop_execution(stepfunctions, "arn:execution")
    assert stepfunctions.asked == 4


def test_one_that_never_starts_fails_after_the_attempts() -> None:
    stepfunctions = StartingExecutions(starting=10_000)
    with pytest.raises(AttributeError):
        aws_backend._stop_execution(stepfunctions, "arn:execution")
    assert stepfunctions.asked == aws_backend._STOP_EXECUTION_ATTEMPTS


class PagedExecutions:
    """Step Functions listing the running executions two to a page."""

    def __init__(self, running: list[str]) -> None:
        self.running = running
        self.stopped: list[str] = []

    def list_executions(self, stateMachineArn: str, statusFilter: str, nextToken: str = "0") -> dict[str, object]:
        assert (stateMachineArn, statusFilter) == ("arn:machine", "RUNNING")
        start = int(nextToken)
        page = {"executions": [{"executionArn": arn} for arn in self.running[start : start + 2]]}
        return page | ({"nextToken": str(start + 2)} if start + 2 < len(self.running) else {})

    def stop_execution(self, executionArn: str) -> dict[str, str]:
        self.stopped.append(executionArn)
        return {"stopDate": "now"}


def test_every_running_execution_is_stopped_page_after_page() -> None:
    stepfunctions = PagedExecutions([f"arn:execution:{n}" for n in range(5)])
    aws_backend._stop_running(stepfunctions, "arn:machine")
    assert stepfunctions.stopped == stepfunctions.running
