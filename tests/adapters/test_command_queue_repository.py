"""The command queue (`CommandQueueRepository`), on its in-memory fake and on DynamoDB (moto) alike.

First the port's own contract (tickets, parks, the conditional moves of the head), then the
queue built on it (`CommandQueue`), with the orders in which a waiter parking and the holder
leaving can interleave: each must wake the waiter exactly once.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from csms.adapters.dynamodb.command_queue import DynamoDbCommandQueueRepository
from csms.commands.errors import CommandQueueFullError, TurnPassedError
from csms.commands.models import QueueHead, Waiter
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


# The port ------------------------------------------------------------------------------------------


def test_tickets_count_from_one_per_charge_point(queues: CommandQueueRepository) -> None:
    assert queues.head(CP) == QueueHead()

    assert [queues.take_ticket(CP, f"cmd-{n}", T0, limit=10) for n in range(3)] == [1, 2, 3]
    assert queues.take_ticket("CP-2", "cmd-x", T0, limit=10) == 1

    assert queues.head(CP) == QueueHead(last_ticket=3, serving=1, last_issued_at=T0)
    assert queues.waiter(CP, 2) == Waiter(2, seen_at=T0)
    assert queues.waiter(CP, 4) is None


def test_no_ticket_while_limit_are_unserved(queues: CommandQueueRepository) -> None:
    for n in range(3):
        queues.take_ticket(CP, f"cmd-{n}", T0, limit=3)

    # Refused, and nothing written
    assert queues.take_ticket(CP, "cmd-3", T0 + timedelta(seconds=1), limit=3) is None
    assert queues.head(CP) == QueueHead(last_ticket=3, serving=1, last_issued_at=T0)
    # Once one is served, one more may queue
    assert queues.advance(CP, 1, held=False)
    assert queues.take_ticket(CP, "cmd-3", T0, limit=3) == 4


def test_parks_are_numbered_and_keep_the_latest_token(queues: CommandQueueRepository) -> None:
    queues.take_ticket(CP, "cmd-1", T0, limit=10)
    later = T0 + timedelta(seconds=60)

    assert queues.park(CP, 1, "token-a", 60, T0) == 1
    assert queues.park(CP, 1, "token-b", 60, later) == 2

    assert queues.waiter(CP, 1) == Waiter(1, seen_at=later, park=2, task_token="token-b", hold_seconds=60)


def test_a_ticket_that_left_parks_no_more(queues: CommandQueueRepository) -> None:
    queues.take_ticket(CP, "cmd-1", T0, limit=10)
    queues.park(CP, 1, "token-a", 60, T0)

    queues.leave(CP, 1)
    queues.leave(CP, 1)  # again: no change

    assert queues.park(CP, 1, "token-b", 60, T0) is None
    assert queues.waiter(CP, 1) == Waiter(1, seen_at=T0, park=1, task_token="token-a", hold_seconds=60, left=True)


def test_the_lock_is_granted_once_and_only_on_its_turn(queues: CommandQueueRepository) -> None:
    for n in range(2):
        queues.take_ticket(CP, f"cmd-{n}", T0, limit=10)

    assert not queues.grant(CP, 2, 1, T0 + HOLD)  # not its turn
    assert queues.grant(CP, 1, 1, T0 + HOLD)
    assert not queues.grant(CP, 1, 2, T0 + HOLD)  # held already

    assert queues.head(CP) == QueueHead(
        last_ticket=2, serving=1, granted_park=1, lease_until=T0 + HOLD, last_issued_at=T0
    )


def test_the_turn_passes_only_from_the_ticket_it_is_at_as_seen(queues: CommandQueueRepository) -> None:
    for n in range(2):
        queues.take_ticket(CP, f"cmd-{n}", T0, limit=2)
    queues.grant(CP, 1, 1, T0 + HOLD)

    assert not queues.advance(CP, 2, held=False)  # not its turn
    assert not queues.advance(CP, 1, held=False)  # it holds the lock
    assert queues.advance(CP, 1, held=True)
    assert not queues.advance(CP, 2, held=True)  # no holder

    assert queues.head(CP) == QueueHead(last_ticket=2, serving=2, last_issued_at=T0)
    assert queues.take_ticket(CP, "cmd-2", T0, limit=2) == 3  # one served: one more may queue


# The queue --------------------------------------------------------------------------------------------


@dataclass
class Queue:
    """A charge point's queue as the workflows use it, and the tokens it completed."""

    queue: CommandQueue
    workflows: RecordingWorkflows
    clock: FixedClock

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
    workflows = RecordingWorkflows()
    return Queue(CommandQueue(queues, workflows, clock, limit=100), workflows, clock)


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


def test_a_release_between_the_waiters_park_and_its_look_at_the_queue(
    queues: CommandQueueRepository, queue: Queue
) -> None:
    first, second = queue.submit(2)
    queue.queue.wait(CP, first, "token-1", ANSWER_TIMEOUT)
    holder = queue.queue  # the holder's own process, on the same table
    waiter = CommandQueue(
        Interleaving(queues, "park", lambda: holder.leave(CP, first)),  # type: ignore[arg-type]
        queue.workflows,
        queue.clock,
        limit=100,
    )

    waiter.wait(CP, second, "token-2", ANSWER_TIMEOUT)

    assert queue.woken() == ["token-1", "token-2"]


def test_a_park_between_the_release_and_its_look_at_the_next_waiter(
    queues: CommandQueueRepository, queue: Queue
) -> None:
    first, second = queue.submit(2)
    queue.queue.wait(CP, first, "token-1", ANSWER_TIMEOUT)
    waiter = queue.queue
    holder = CommandQueue(
        Interleaving(queues, "advance", lambda: waiter.wait(CP, second, "token-2", ANSWER_TIMEOUT)),  # type: ignore[arg-type]
        queue.workflows,
        queue.clock,
        limit=100,
    )

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
