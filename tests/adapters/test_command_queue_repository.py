"""The command queue (`CommandQueue`) on its repository's in-memory fake and on DynamoDB (moto) alike, with
the orders in which a waiter parking and the holder leaving can interleave: each must wake the waiter exactly
once. (The repository's own contract: `tests/contracts/test_command_queue_repository.py`.)
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from csms.adapters.dynamodb.command_queue import DynamoDbCommandQueueRepository
from csms.commands.errors import CommandQueueFullError, TurnPassedError
from csms.commands.ports import CommandQueueRepository
from csms.commands.queue import LOCK_GRACE, PARK_LEASE, CommandQueue
from csms.settings import Settings
from tests.fakes import FixedClock, InMemoryCommandQueues, RecordingWorkflows

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CP = "CP-1"
ANSWER_TIMEOUT = timedelta(seconds=30)
HOLD = ANSWER_TIMEOUT + LOCK_GRACE


@pytest.fixture(params=["fake", "dynamodb"])
def queues(request: pytest.FixtureRequest, settings: Settings) -> CommandQueueRepository:
    if request.param == "fake":
        return InMemoryCommandQueues()
    request.getfixturevalue("aws")
    return DynamoDbCommandQueueRepository(boto3.resource("dynamodb").Table(settings.calls_table))


@dataclass
class Queue:
    """A charge point's queue as the workflows use it, and the tokens it completed."""

    queues: CommandQueueRepository
    workflows: RecordingWorkflows
    clock: FixedClock

    @property
    def queue(self) -> CommandQueue:
        return CommandQueue(self.queues, self.workflows, self.clock, limit=100)

    def interleaved(self, operation: str, hook: Callable[[], None]) -> CommandQueue:
        """The queue as another process uses it, on the same table: `hook` runs right after its first `operation`."""
        return CommandQueue(
            Interleaving(self.queues, operation, hook),
            self.workflows,
            self.clock,
            limit=100,
        )

    def woken(self) -> list[str]:
        assert self.workflows.failed == []
        return [token for token, _ in self.workflows.succeeded]

    def submit(self, count: int) -> list[int]:
        return [self.queue.enter(CP, f"cmd-{n}") for n in range(count)]


class Interleaving:
    """The repository, running `hook` once right after the first call of `operation` returns."""

    def __init__(self, inner: CommandQueueRepository, operation: str, hook: Callable[[], None]) -> None:
        self._inner = inner
        self._operation = operation
        self._hook: Callable[[], None] | None = hook

    def __getattr__(self, name: str) -> Any:
        inner = getattr(self._inner, name)
        if name != self._operation:
            return inner

        def hooked(*args: Any, **kwargs: Any) -> Any:
            result = inner(*args, **kwargs)
            hook, self._hook = self._hook, None
            if hook is not None:
                hook()
            return result

        return hooked


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def queue(queues: CommandQueueRepository, clock: FixedClock) -> Queue:
    return Queue(queues, RecordingWorkflows(), clock)


def test_the_first_command_takes_the_free_lock_at_once(queue: Queue) -> None:
    (ticket,) = queue.submit(1)

    queue.queue.wait(CP, ticket, "token-1", ANSWER_TIMEOUT)

    assert queue.woken() == ["token-1"]


def test_a_waiter_parked_before_the_release_is_woken_by_it(queue: Queue) -> None:
    first, second = queue.submit(2)
    queue.queue.wait(CP, first, "token-1", ANSWER_TIMEOUT)

    queue.queue.wait(CP, second, "token-2", ANSWER_TIMEOUT)
    assert queue.woken() == ["token-1"]  # the first holds the lock

    queue.queue.leave(CP, first)
    assert queue.woken() == ["token-1", "token-2"]


def test_a_waiter_parking_after_the_release_takes_the_lock_itself(queue: Queue) -> None:
    first, second = queue.submit(2)
    queue.queue.wait(CP, first, "token-1", ANSWER_TIMEOUT)
    queue.queue.leave(CP, first)

    queue.queue.wait(CP, second, "token-2", ANSWER_TIMEOUT)

    assert queue.woken() == ["token-1", "token-2"]


def test_a_release_between_the_waiters_park_and_its_look_at_the_queue(queue: Queue) -> None:
    first, second = queue.submit(2)
    queue.queue.wait(CP, first, "token-1", ANSWER_TIMEOUT)
    waiter = queue.interleaved("park", lambda: queue.queue.leave(CP, first))

    waiter.wait(CP, second, "token-2", ANSWER_TIMEOUT)

    assert queue.woken() == ["token-1", "token-2"]


def test_a_release_while_the_waiter_reads_the_queue(queue: Queue) -> None:
    """What the waiter reads is already stale: it parked first, so the release finds it parked."""
    first, second = queue.submit(2)
    queue.queue.wait(CP, first, "token-1", ANSWER_TIMEOUT)
    waiter = queue.interleaved("head", lambda: queue.queue.leave(CP, first))

    waiter.wait(CP, second, "token-2", ANSWER_TIMEOUT)

    assert queue.woken() == ["token-1", "token-2"]


def test_a_park_between_the_release_and_its_look_at_the_next_waiter(queue: Queue) -> None:
    first, second = queue.submit(2)
    queue.queue.wait(CP, first, "token-1", ANSWER_TIMEOUT)
    holder = queue.interleaved("advance", lambda: queue.queue.wait(CP, second, "token-2", ANSWER_TIMEOUT))

    holder.leave(CP, first)

    assert queue.woken() == ["token-1", "token-2"]


def test_a_grant_to_a_gone_token_is_taken_up_by_the_next_park(queue: Queue) -> None:
    """The token completed was no longer waited for (its wait had timed out): the next park gets the lock."""
    first, second = queue.submit(2)
    queue.queue.wait(CP, first, "token-1", ANSWER_TIMEOUT)
    queue.queue.wait(CP, second, "token-2a", ANSWER_TIMEOUT)
    queue.queue.leave(CP, first)  # completes token-2a, which had just timed out

    queue.queue.wait(CP, second, "token-2b", ANSWER_TIMEOUT)

    assert queue.woken() == ["token-1", "token-2a", "token-2b"]


def test_tickets_that_left_before_their_turn_are_passed_over(queue: Queue) -> None:
    first, second, third = queue.submit(3)
    queue.queue.wait(CP, first, "token-1", ANSWER_TIMEOUT)
    queue.queue.wait(CP, second, "token-2", ANSWER_TIMEOUT)
    queue.queue.leave(CP, second)  # it failed while queued
    queue.queue.wait(CP, third, "token-3", ANSWER_TIMEOUT)

    queue.queue.leave(CP, first)

    assert queue.woken() == ["token-1", "token-3"]


def test_a_holder_whose_workflow_died_is_taken_over_after_its_lease(queue: Queue) -> None:
    first, second = queue.submit(2)
    queue.queue.wait(CP, first, "token-1", ANSWER_TIMEOUT)  # and never answered nor failed

    queue.clock.advance(seconds=HOLD.total_seconds())
    queue.queue.wait(CP, second, "token-2a", ANSWER_TIMEOUT)
    assert queue.woken() == ["token-1"]  # its lease is not over yet

    queue.clock.advance(seconds=1)
    queue.queue.wait(CP, second, "token-2b", ANSWER_TIMEOUT)  # the next check
    assert queue.woken() == ["token-1", "token-2b"]


def test_a_ticket_whose_workflow_never_came_is_passed_over(queue: Queue) -> None:
    first, second = queue.submit(2)  # the first one's workflow never parks

    queue.queue.wait(CP, second, "token-2a", ANSWER_TIMEOUT)
    assert queue.woken() == []

    queue.clock.advance(seconds=PARK_LEASE.total_seconds())
    queue.queue.wait(CP, second, "token-2b", ANSWER_TIMEOUT)
    assert queue.woken() == []  # not quite gone yet

    queue.clock.advance(seconds=1)
    queue.queue.wait(CP, second, "token-2c", ANSWER_TIMEOUT)
    assert queue.woken() == ["token-2c"]
    # Should it come after all, its turn has passed
    with pytest.raises(TurnPassedError):
        queue.queue.wait(CP, first, "token-1", ANSWER_TIMEOUT)


def test_a_ticket_that_left_cannot_wait_again(queue: Queue) -> None:
    (ticket,) = queue.submit(1)
    queue.queue.leave(CP, ticket)

    with pytest.raises(TurnPassedError):
        queue.queue.wait(CP, ticket, "token-1", ANSWER_TIMEOUT)
    assert queue.woken() == []


def test_a_withdrawn_ticket_is_passed_over_at_the_next_check(queue: Queue) -> None:
    first, second = queue.submit(2)
    queue.queue.wait(CP, second, "token-2a", ANSWER_TIMEOUT)

    queue.queue.withdraw(CP, first)  # its workflow could not be started
    assert queue.woken() == []  # the submitter moves nothing

    queue.queue.wait(CP, second, "token-2b", ANSWER_TIMEOUT)
    assert queue.woken() == ["token-2b"]


def test_a_full_queue_refuses_the_next_command(queues: CommandQueueRepository, clock: FixedClock) -> None:
    queue = CommandQueue(queues, RecordingWorkflows(), clock, limit=2)
    queue.enter(CP, "cmd-1")
    queue.enter(CP, "cmd-2")

    with pytest.raises(CommandQueueFullError, match="CP-1 has 2 commands queued already"):
        queue.enter(CP, "cmd-3")
    assert queue.enter("CP-2", "cmd-4") == 1
