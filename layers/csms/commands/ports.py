"""What commands need from the outside world; adapters implement these, tests fake them."""

from datetime import datetime
from typing import Any, Protocol

from csms.commands.models import CallAnswer, Command, CommandError, CommandStatus, PendingCall, QueueHead, Waiter
from csms.domain.pagination import Page


class CommandRepository(Protocol):
    def create(self, command: Command) -> None: ...

    def get(self, command_id: str) -> Command | None: ...

    def list_for_charge_point(self, charge_point_id: str, limit: int, next_token: str | None = None) -> Page[Command]:
        """Newest first; raises `InvalidPageTokenError` for a token no listing returned."""

    def list_all(self, limit: int, next_token: str | None = None) -> Page[Command]:
        """Every charge point's, newest first; raises `InvalidPageTokenError` for a token no listing returned."""

    def list_unfinished(self) -> list[Command]:
        """Every command not finished yet (no `finished_at`), of every charge point, oldest first.

        Reads the whole table (a Scan on DynamoDB): for `csms local`'s start only, when the
        workflows of these commands stopped with the runtime (`csms.commands.recovery`).
        """

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
    """Calls to charge points, keyed by charge point and message id."""

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


class CommandQueueRepository(Protocol):
    """Each charge point's command queue: its head (a ticket counter, whose turn it is, the lock) and
    one waiter per ticket. Every change is atomic; the moves of the head are conditional, so that of
    two parties making the same move, one wins and the other is told so (`csms.commands.queue`)."""

    def take_ticket(self, charge_point_id: str, command_id: str, at: datetime, limit: int) -> int | None:
        """The charge point's next ticket, its waiter recorded as issued to `command_id` at `at`; None,
        and nothing written, while `limit` tickets are still unserved."""

    def head(self, charge_point_id: str) -> QueueHead:
        """Where the queue stands (strongly consistent; an empty head for a charge point never queued)."""

    def waiter(self, charge_point_id: str, ticket: int) -> Waiter | None:
        """The ticket's waiter (strongly consistent)."""

    def park(self, charge_point_id: str, ticket: int, task_token: str, hold_seconds: int, at: datetime) -> int | None:
        """The ticket's workflow waits with `task_token`; returns the number of this park, or None
        (nothing written) if the ticket has left."""

    def leave(self, charge_point_id: str, ticket: int) -> None:
        """The ticket is done with the queue; leaving again changes nothing."""

    def rejoin(self, charge_point_id: str, ticket: int, at: datetime) -> bool:
        """The ticket's workflow is gone and another takes its place: the waiter is seen at `at`, with
        no token parked (the new workflow has yet to park); False, and nothing written, if it has left."""

    def release(self, charge_point_id: str, ticket: int) -> bool:
        """Free the lock `ticket` holds, its turn kept (the next park of the ticket may be granted it);
        False, and nothing written, unless it is `ticket`'s turn and the lock is held."""

    def grant(self, charge_point_id: str, ticket: int, park: int, lease_until: datetime) -> bool:
        """Give the lock to `park` of `ticket` until `lease_until`, if it is that ticket's turn and the
        lock is free; False, and nothing written, otherwise."""

    def advance(self, charge_point_id: str, ticket: int, held: bool) -> bool:
        """Pass the turn from `ticket` to the next ticket, if it is `ticket`'s turn and it holds the
        lock (`held`) or not (`not held`); False, and nothing written, otherwise."""


class WorkflowStarter(Protocol):
    def start(self, name: str, execution_input: dict[str, Any]) -> str:
        """Start a command workflow execution; returns its ARN."""


class TaskCompleter(Protocol):
    def succeed(self, task_token: str, output: dict[str, Any]) -> None: ...

    def fail(self, task_token: str, error: str, cause: str) -> None:
        """Both log and ignore a token that is no longer waiting (timed out, already completed)."""


class CommandWorkflows(WorkflowStarter, TaskCompleter, Protocol):
    """Step Functions, as the composition root hands it to whoever needs either side."""
