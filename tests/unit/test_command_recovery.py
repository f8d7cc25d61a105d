"""Commands whose workflow stopped with `csms local`, taken up when it starts again, over in-memory fakes.

A restart is the clock moving on, every connection closed, and the workflows gone: what the tests
performed of them before stays as it was, and only the executions the recovery starts go on.
"""

from typing import Any

import pytest

from csms.commands.models import Command, CommandError, CommandStatus
from csms.commands.shortcuts import ResetType
from csms.commands.workflow import RECONNECT_GRACE
from csms.commands.workflow_definition import AWAIT_RECONNECT_SINCE, RESUME_FOLLOW_UP, Step
from csms.timeutil import format_timestamp
from csms.wire.versions import OcppVersion
from tests.fakes import FixedClock, RecordingWorkflows
from tests.wired import WiredServices

V16 = OcppVersion.V16
DOWNTIME_MINUTES = 10  # longer than any lease of the queue
INTERRUPTED = CommandError("Interrupted", "csms local restarted before the charge point's answer was recorded")


@pytest.fixture
def services(fake_services: WiredServices) -> WiredServices:
    fake_services.charge_points.connected("CP-1", "conn-1", V16)
    return fake_services


def perform(services: WiredServices, step: Step, command: Command, token: str = "token", **state: Any) -> None:
    state = {"commandId": command.command_id, "timeoutSeconds": 30, **state}
    services.command_workflow.perform(step, state, token)


def stored(services: WiredServices, command: Command) -> Command:
    found = services.commands.get(command.command_id)
    assert found is not None
    return found


def restart(services: WiredServices, clock: FixedClock, workflows: RecordingWorkflows, kill: bool = False) -> None:
    """`csms local` stops (closing every connection, unless killed), stays down, starts and recovers."""
    if not kill:
        services.charge_points.disconnected("conn-1", "CP-1")
    clock.advance(minutes=DOWNTIME_MINUTES)
    workflows.started.clear()
    services.command_recovery.recover()


def restarted(workflows: RecordingWorkflows, command: Command) -> dict[str, Any]:
    """The input of the one execution started again for `command`."""
    (execution_input,) = [given for name, given in workflows.started if given["commandId"] == command.command_id]
    return execution_input


def accepted_reset(services: WiredServices, clock: FixedClock) -> Command:
    """A reset to CP-1, sent and accepted: its follow-up waits for the charge point to come back."""
    reset = services.commands.reset("CP-1", ResetType.SOFT)
    perform(services, Step.ACQUIRE_LOCK, reset, "lock-reset")
    perform(services, Step.SEND, reset)
    answer = {"response": {"status": "Accepted"}, "answeredAt": format_timestamp(clock.now())}
    perform(services, Step.RECORD_ANSWER, reset, answer=answer)
    return reset


def turns(workflows: RecordingWorkflows) -> list[str]:
    return [token for token, _ in workflows.succeeded if token.startswith("lock-")]


def awaits_charger(services: WiredServices, workflows: RecordingWorkflows, command: Command, since: str) -> bool:
    """Performs AwaitCharger; whether the command still waits for its charge point."""
    perform(services, Step.AWAIT_CHARGER, command, "await", **{AWAIT_RECONNECT_SINCE: since})
    token, output = workflows.succeeded[-1]
    assert token == "await"
    waiting: bool = output["waiting"]
    return waiting


def test_the_call_on_the_wire_is_interrupted_and_the_queued_command_goes_once_the_charger_is_back(
    services: WiredServices, clock: FixedClock, workflows: RecordingWorkflows
) -> None:
    on_the_wire = services.commands.submit("CP-1", "ClearCache", {})
    queued = services.commands.submit("CP-1", "ClearCache", {})
    perform(services, Step.ACQUIRE_LOCK, on_the_wire, "lock-1")
    perform(services, Step.SEND, on_the_wire)
    perform(services, Step.ACQUIRE_LOCK, queued, "lock-2")

    restart(services, clock, workflows)

    # The CALL's answer can never come: the command failed, and left the queue
    interrupted = stored(services, on_the_wire)
    assert (interrupted.status, interrupted.error, interrupted.finished_at) == (
        CommandStatus.FAILED,
        INTERRUPTED,
        clock.now(),
    )
    assert [name for name, _ in workflows.started] == [f"{queued.command_id}-restart-20261123T121000Z"]
    # The queued one waits for its charger, then takes its turn at once
    since = restarted(workflows, queued)[AWAIT_RECONNECT_SINCE]
    assert since == format_timestamp(clock.now())
    clock.advance(seconds=30)
    assert awaits_charger(services, workflows, queued, since)
    services.charge_points.connected("CP-1", "conn-2", V16)
    assert not awaits_charger(services, workflows, queued, since)
    perform(services, Step.ACQUIRE_LOCK, queued, "lock-2-again")
    assert turns(workflows) == ["lock-1", "lock-2-again"]
    assert stored(services, queued).status is CommandStatus.PENDING


def test_queued_commands_keep_their_places_and_a_lock_never_used_is_free_for_its_new_workflow(
    services: WiredServices, clock: FixedClock, workflows: RecordingWorkflows
) -> None:
    # The first was granted the lock but had not sent its CALL; the second waited behind it
    first = services.commands.submit("CP-1", "ClearCache", {})
    second = services.commands.submit("CP-1", "ClearCache", {})
    perform(services, Step.ACQUIRE_LOCK, first, "lock-1")
    perform(services, Step.ACQUIRE_LOCK, second, "lock-2")

    restart(services, clock, workflows)
    since = restarted(workflows, first)[AWAIT_RECONNECT_SINCE]
    assert restarted(workflows, second)[AWAIT_RECONNECT_SINCE] == since
    # A command submitted while they wait for the charger checks the queue: it passes neither over
    clock.advance(minutes=2)
    assert awaits_charger(services, workflows, first, since)
    assert awaits_charger(services, workflows, second, since)
    third = services.commands.submit("CP-1", "ClearCache", {})
    perform(services, Step.ACQUIRE_LOCK, third, "lock-3")
    clock.advance(seconds=services.settings.command_poll_interval_seconds)
    services.charge_points.connected("CP-1", "conn-2", V16)

    # The charger is back: whichever workflow parks first, the turns come in submission order
    for command, token in ((second, "lock-2-again"), (first, "lock-1-again")):
        assert not awaits_charger(services, workflows, command, since)
        perform(services, Step.ACQUIRE_LOCK, command, token)
    assert turns(workflows) == ["lock-1", "lock-1-again"]
    perform(services, Step.SEND, first)
    assert stored(services, first).status is CommandStatus.SENT


def test_a_charger_not_back_in_time_lets_the_command_take_its_turn_and_fail_as_offline(
    services: WiredServices, clock: FixedClock, workflows: RecordingWorkflows
) -> None:
    queued = services.commands.submit("CP-1", "ClearCache", {})

    restart(services, clock, workflows)
    since = restarted(workflows, queued)[AWAIT_RECONNECT_SINCE]
    clock.advance(seconds=RECONNECT_GRACE.total_seconds() - 1)
    assert awaits_charger(services, workflows, queued, since)
    clock.advance(seconds=1)
    assert not awaits_charger(services, workflows, queued, since)

    perform(services, Step.ACQUIRE_LOCK, queued, "lock-1")
    perform(services, Step.SEND, queued, "send")
    assert workflows.failed == [("send", "Offline", "CP-1 is not connected")]


def test_a_charger_still_recorded_connected_after_a_kill_is_not_taken_for_back(
    services: WiredServices, clock: FixedClock, workflows: RecordingWorkflows
) -> None:
    queued = services.commands.submit("CP-1", "ClearCache", {})

    restart(services, clock, workflows, kill=True)  # no $disconnect: the record still names conn-1

    assert awaits_charger(services, workflows, queued, restarted(workflows, queued)[AWAIT_RECONNECT_SINCE])


def test_an_accepted_command_goes_back_to_checking_its_follow_up(
    services: WiredServices, clock: FixedClock, workflows: RecordingWorkflows
) -> None:
    reset = accepted_reset(services, clock)

    restart(services, clock, workflows)

    ((name, execution_input),) = workflows.started
    assert execution_input[RESUME_FOLLOW_UP] is True
    assert name != reset.command_id
    assert stored(services, reset).execution_arn == f"arn:aws:states:us-east-1:123456789012:execution:commands:{name}"
    # The charger reconnects: it came back
    services.charge_points.connected("CP-1", "conn-2", V16)
    perform(services, Step.CHECK_FOLLOW_UP, reset, "check")
    assert stored(services, reset).result == {"cameBack": True, "booted": False, "reconnected": True}


def test_finished_commands_are_left_as_they_are(
    services: WiredServices, clock: FixedClock, workflows: RecordingWorkflows
) -> None:
    done = services.commands.submit("CP-1", "ClearCache", {})
    perform(services, Step.ACQUIRE_LOCK, done, "lock-1")
    perform(services, Step.SEND, done)
    perform(services, Step.RECORD_FAILURE, done, failure={"Error": "States.Timeout"})
    before = stored(services, done)

    restart(services, clock, workflows)

    assert workflows.started == []
    assert stored(services, done) == before


def test_a_workflow_that_cannot_start_again_ends_its_command_and_the_others_are_taken_up(
    services: WiredServices, clock: FixedClock, workflows: RecordingWorkflows
) -> None:
    following = accepted_reset(services, clock)
    refused = services.commands.submit("CP-1", "ClearCache", {})
    taken_up = services.commands.submit("CP-1", "ClearCache", {})
    start = workflows.start

    def refuse(name: str, execution_input: dict[str, Any]) -> str:
        if execution_input["commandId"] == taken_up.command_id:
            return start(name, execution_input)
        raise RuntimeError("throttled")

    workflows.start = refuse  # type: ignore[method-assign]

    restart(services, clock, workflows)

    not_started = "The workflow could not be started: throttled"
    assert stored(services, following).status is CommandStatus.ACCEPTED
    assert stored(services, following).result == {"error": {"code": "NotStarted", "description": not_started}}
    assert (stored(services, refused).status, stored(services, refused).error) == (
        CommandStatus.FAILED,
        CommandError("NotStarted", not_started),
    )
    assert [given["commandId"] for _, given in workflows.started] == [taken_up.command_id]
