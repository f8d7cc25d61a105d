"""The steps of the command workflow, as its worker performs them.

Each step gets the state input and returns the task output, or None when the token is completed
elsewhere (AcquireLock: by the command queue, when the command's turn comes; Send: by the charge
point's answer). A step fails by raising `StepFailedError`; any other exception fails it as
WorkerError, which the state machine retries where that is safe.
"""

import math
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import uuid4

from csms.commands.command_actions import outcome
from csms.commands.effects import AnswerEffects
from csms.commands.errors import StepFailedError, TurnPassedError
from csms.commands.follow_ups import FollowUps
from csms.commands.models import CallAnswer, Command, CommandError, CommandStatus, PendingCall
from csms.commands.outcomes import count_outcome
from csms.commands.ports import CallRepository, CommandRepository, TaskCompleter
from csms.commands.queue import CommandQueue
from csms.commands.workflow_definition import (
    AWAIT_RECONNECT_SINCE,
    QUEUE_CHECK_SECONDS,
    QUEUE_TIMEOUT_SECONDS,
    Step,
    StepError,
)
from csms.domain.charge_points import ChargePointService
from csms.domain.ports import ChargePointRepository, Clock, ConnectionGoneError, ConnectionSender
from csms.observability import logger
from csms.timeutil import parse_timestamp
from csms.wire.frames import encode_call

# Follow-ups are polled at a tenth of the time waited so far, within these bounds.
MAX_POLL_SECONDS = 60
# How long a command started again after a restart of `csms local` waits for its charge point to
# connect again before it takes its turn (and fails as Offline if the charge point is not back).
RECONNECT_GRACE = timedelta(minutes=5)

# Step errors that are not plain failures: (status, error code recorded).
_FAILURES: dict[str, tuple[CommandStatus, str]] = {
    StepError.TIMEOUT: (CommandStatus.TIMED_OUT, "Timeout"),
    StepError.OFFLINE: (CommandStatus.OFFLINE, "Offline"),
    StepError.QUEUE_TIMEOUT: (CommandStatus.TIMED_OUT, "QueueTimeout"),
}
# What a failure means when Step Functions did not carry its cause.
_DESCRIPTIONS: dict[str, str] = {
    StepError.TIMEOUT: "The charge point did not answer in time",
    StepError.OFFLINE: "The charge point is not connected",
    StepError.QUEUE_TIMEOUT: "The commands before it kept the charge point busy too long",
    StepError.INVALID_RESPONSE: "The response does not match the schema of the action",
}

State = dict[str, Any]


def follow_up_wait_seconds(poll_interval: int, waited: timedelta, remaining: timedelta) -> int:
    """How long a follow-up waits before it looks again: the poll interval at first, then a tenth of the time
    it has waited since the answer, at most `MAX_POLL_SECONDS`, never past its deadline."""
    seconds = max(poll_interval, min(MAX_POLL_SECONDS, int(waited.total_seconds() / 10)))
    return max(1, min(seconds, math.ceil(remaining.total_seconds())))


class CommandWorkflow:
    def __init__(
        self,
        commands: CommandRepository,
        calls: CallRepository,
        queue: CommandQueue,
        charge_points: ChargePointRepository,
        charge_point_service: ChargePointService,
        follow_ups: FollowUps,
        sender: ConnectionSender,
        tasks: TaskCompleter,
        clock: Clock,
        poll_interval_seconds: int,
        effects: AnswerEffects,
    ) -> None:
        self._commands = commands
        self._calls = calls
        self._queue = queue
        self._charge_points = charge_points
        self._charge_point_service = charge_point_service
        self._follow_ups = follow_ups
        self._sender = sender
        self._tasks = tasks
        self._clock = clock
        self._poll_interval = poll_interval_seconds
        self._effects = effects
        self._steps: dict[Step, Callable[[Command, State, str], State | None]] = {
            Step.ACQUIRE_LOCK: self._acquire_lock,
            Step.SEND: self._send,
            Step.RECORD_ANSWER: self._record_answer,
            Step.CHECK_FOLLOW_UP: self._check_follow_up,
            Step.RECORD_FAILURE: self._record_failure,
            Step.AWAIT_CHARGER: self._await_charger,
        }

    def perform(self, step: Step, state: State, task_token: str) -> None:
        """Perform a step and complete its task token (except Send's, which the answer completes)."""
        try:
            command = self._commands.get(state["commandId"])
            if command is None:
                raise LookupError(f"No command {state['commandId']}")
            output = self._steps[step](command, state, task_token)
        except StepFailedError as failure:
            self._tasks.fail(task_token, failure.error, failure.cause)
            return
        except Exception as error:
            logger.exception("Command workflow step failed", extra={"step": step.value})
            self._tasks.fail(task_token, StepError.WORKER_ERROR, f"{type(error).__name__}: {error}")
            return
        if output is not None:
            self._tasks.succeed(task_token, output)

    def _acquire_lock(self, command: Command, state: State, task_token: str) -> None:
        """Wait for the command's turn in the charge point's queue; the queue completes the token.

        Performed again (a new token) every QUEUE_CHECK_SECONDS while the command is still queued.
        """
        if self._clock.now() - command.created_at >= timedelta(seconds=QUEUE_TIMEOUT_SECONDS):
            raise StepFailedError(StepError.QUEUE_TIMEOUT, f"Queued for more than {QUEUE_TIMEOUT_SECONDS} s")
        answer_timeout = timedelta(seconds=int(state["timeoutSeconds"]))
        try:
            self._queue.wait(command.charge_point_id, _ticket(command), task_token, answer_timeout)
        except TurnPassedError as passed:
            raise StepFailedError(StepError.QUEUE_TIMEOUT, str(passed)) from passed

    def _await_charger(self, command: Command, state: State, task_token: str) -> State:
        """Wait for the charge point to connect after `csms local` restarted, up to RECONNECT_GRACE.

        The command keeps its place in the queue meanwhile: each check counts as its workflow
        seen (well within the queue's PARK_LEASE), so the commands behind it wait too.
        """
        self._queue.rejoin(command.charge_point_id, _ticket(command))
        since = parse_timestamp(state[AWAIT_RECONNECT_SINCE])
        charge_point = self._charge_points.get(command.charge_point_id)
        # Connected since the restart: a record still saying connected after a kill has an older lastSeen.
        back = (
            charge_point is not None
            and charge_point.connected
            and charge_point.last_seen is not None
            and charge_point.last_seen >= since
        )
        remaining = since + RECONNECT_GRACE - self._clock.now()
        if back or remaining <= timedelta(0):
            return {"waiting": False}
        wait = min(self._poll_interval, QUEUE_CHECK_SECONDS, math.ceil(remaining.total_seconds()))
        return {"waiting": True, "waitSeconds": max(1, wait)}

    def _send(self, command: Command, state: State, task_token: str) -> None:
        """Send the CALL; the charge point's answer completes the token (`csms.commands.answers`)."""
        connection_id = self._connection_id(command)
        now = self._clock.now()
        message_id = str(uuid4())
        # Stored before sending: the answer may arrive before `send` returns.
        call = PendingCall(
            command.charge_point_id, message_id, command.action, command.command_id, task_token, now, _ticket(command)
        )
        self._calls.put_pending(call)
        self._commands.mark_sent(command.command_id, message_id, connection_id, now)
        frame = encode_call(message_id, command.action, command.request)
        try:
            self._sender.send(connection_id, frame)
        except ConnectionGoneError as gone:
            self._charge_point_service.disconnected(connection_id, command.charge_point_id)
            raise StepFailedError(StepError.OFFLINE, f"{command.charge_point_id}'s connection is gone") from gone

    def _connection_id(self, command: Command) -> str:
        charge_point = self._charge_points.get(command.charge_point_id)
        if charge_point is None or not charge_point.connected or charge_point.connection_id is None:
            raise StepFailedError(StepError.OFFLINE, f"{command.charge_point_id} is not connected")
        return charge_point.connection_id

    def _record_answer(self, command: Command, state: State, task_token: str) -> State:
        answer = state["answer"]
        response: dict[str, Any] = answer["response"]
        status = outcome(response)
        follow_up = command.follow_up if status is CommandStatus.ACCEPTED else None
        answered_at = parse_timestamp(answer["answeredAt"])
        # What the answer changes first: whoever sees the command answered sees its effects too.
        self._effects.apply(command, status, response)
        self._commands.record_answer(command.command_id, status, response, answered_at, finished=follow_up is None)
        count_outcome(command, status)
        if follow_up is None:
            return {"waiting": False}
        return {"waiting": True, "waitSeconds": self._poll_interval}

    def _check_follow_up(self, command: Command, state: State, task_token: str) -> State:
        assert command.follow_up is not None
        assert command.answered_at is not None
        now = self._clock.now()
        deadline = command.answered_at + timedelta(seconds=command.follow_up.timeout_seconds)
        result = self._follow_ups.check(command)
        if result is None and now >= deadline:
            result = self._follow_ups.gave_up(command)
        if result is not None:
            self._commands.record_result(command.command_id, result, now)
            return {"waiting": False}
        wait = follow_up_wait_seconds(self._poll_interval, now - command.answered_at, deadline - now)
        return {"waiting": True, "waitSeconds": wait}

    def _record_failure(self, command: Command, state: State, task_token: str) -> State:
        """Free the charge point for the next command, and record why this one failed."""
        self._queue.leave(command.charge_point_id, _ticket(command))
        error = str(state["failure"].get("Error") or StepError.WORKER_ERROR)
        cause = str(state["failure"].get("Cause") or "")
        now = self._clock.now()
        if not command.status.awaiting_answer:  # it was answered: the follow-up failed
            self._commands.record_result(command.command_id, {"error": {"code": error, "description": cause}}, now)
            return {}
        status, code = _FAILURES.get(error, (CommandStatus.FAILED, error))
        reason = CommandError(code, cause or _DESCRIPTIONS.get(error, ""))
        answer = self._answer(command) if status is CommandStatus.FAILED else None
        if answer is not None and answer.error is not None:
            # The CALLERROR as the charge point sent it (Step Functions may drop the cause; moto does).
            reason = answer.error
        answered_at = answer.answered_at if answer else None
        self._effects.failed(command, reason)
        self._commands.record_failure(command.command_id, status, reason, now, answered_at=answered_at)
        count_outcome(command, status)
        return {}

    def _answer(self, command: Command) -> CallAnswer | None:
        return self._calls.answer(command.charge_point_id, command.message_id) if command.message_id else None


def _ticket(command: Command) -> int:
    if command.ticket is None:  # submitted before commands were queued
        raise LookupError(f"Command {command.command_id} has no place in its charge point's queue")
    return command.ticket
