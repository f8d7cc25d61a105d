"""What commands need from the outside world; adapters implement these, tests fake them."""

from datetime import datetime
from typing import Any, Protocol

from csms.commands.models import CallAnswer, Command, CommandError, CommandStatus, PendingCall
from csms.domain.pagination import Page


class CommandRepository(Protocol):
    def create(self, command: Command) -> None: ...

    def get(self, command_id: str) -> Command | None: ...

    def list_for_charge_point(self, charge_point_id: str, limit: int, next_token: str | None = None) -> Page[Command]:
        """Newest first; raises `InvalidPageTokenError` for a token no listing returned."""

    def set_execution(self, command_id: str, execution_arn: str) -> None: ...

    def mark_sent(self, command_id: str, message_id: str, connection_id: str, at: datetime) -> None: ...

    def record_answer(
        self, command_id: str, status: CommandStatus, response: dict[str, Any], at: datetime, finished: bool
    ) -> None:
        """Accepted or Rejected with the response; `finished` unless a follow-up runs next."""

    def record_failure(
        self,
        command_id: str,
        status: CommandStatus,
        error: CommandError,
        at: datetime,
        answered_at: datetime | None = None,
    ) -> None:
        """Failed, TimedOut or Offline; `answered_at` when the failure was the charge point's answer."""

    def record_result(self, command_id: str, result: dict[str, Any], at: datetime) -> None:
        """What the follow-up found; the command is finished."""


class CallRepository(Protocol):
    """Calls to charge points (keyed by charge point and message id) and one lock per charge point."""

    def acquire_lock(self, charge_point_id: str, command_id: str, at: datetime, until: datetime) -> bool:
        """Become the charge point's one outstanding call; False if another command holds the lock.

        A lock past `until` is stale (its holder never released it) and is taken over; the holder
        itself may acquire it again (a redelivered step).
        """

    def release_lock(self, charge_point_id: str, command_id: str) -> None:
        """Release the lock if `command_id` holds it."""

    def put_pending(self, call: PendingCall) -> None: ...

    def claim_answer(
        self,
        charge_point_id: str,
        message_id: str,
        at: datetime,
        payload: dict[str, object] | None = None,
        error: dict[str, object] | None = None,
    ) -> PendingCall | None:
        """Record a CALLRESULT (payload) or CALLERROR (error) against the pending call it answers.

        Returns that call the first time only: None for an answer to no pending call, or a repeat.
        """

    def answer(self, charge_point_id: str, message_id: str) -> CallAnswer | None:
        """What the charge point answered the call, if it did."""


class WorkflowStarter(Protocol):
    def start(self, name: str, execution_input: dict[str, Any]) -> str:
        """Start a command workflow execution; returns its ARN."""


class TaskCompleter(Protocol):
    def succeed(self, task_token: str, output: dict[str, Any]) -> None: ...

    def fail(self, task_token: str, error: str, cause: str) -> None:
        """Both log and ignore a token that is no longer waiting (timed out, already completed)."""


class CommandWorkflows(WorkflowStarter, TaskCompleter, Protocol):
    """Step Functions, as the composition root hands it to whoever needs either side."""
