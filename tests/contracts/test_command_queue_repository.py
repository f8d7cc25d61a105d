"""The `CommandQueueRepository` contract: tickets counted per charge point and capped, parks numbered, and
the conditional moves of the head (the lock granted on a ticket's turn, the turn passed on). The queue built
on it (`CommandQueue`) is tested on both in `tests/adapters/test_command_queue_repository.py`."""

from datetime import UTC, datetime, timedelta

from csms.commands.models import QueueHead, Waiter
from csms.commands.ports import CommandQueueRepository
from csms.commands.queue import LOCK_GRACE

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CP = "CP-1"
HOLD = timedelta(seconds=30) + LOCK_GRACE


def test_tickets_count_from_one_per_charge_point(command_queues: CommandQueueRepository) -> None:
    assert command_queues.head(CP) == QueueHead()

    assert [command_queues.take_ticket(CP, f"cmd-{n}", T0, limit=10) for n in range(3)] == [1, 2, 3]
    assert command_queues.take_ticket("CP-2", "cmd-x", T0, limit=10) == 1

    assert command_queues.head(CP) == QueueHead(last_ticket=3, serving=1, last_issued_at=T0)
    assert command_queues.waiter(CP, 2) == Waiter(2, seen_at=T0)
    assert command_queues.waiter(CP, 4) is None


def test_no_ticket_while_limit_are_unserved(command_queues: CommandQueueRepository) -> None:
    for n in range(3):
        command_queues.take_ticket(CP, f"cmd-{n}", T0, limit=3)

    # Refused, and nothing written
    assert command_queues.take_ticket(CP, "cmd-3", T0 + timedelta(seconds=1), limit=3) is None
    assert command_queues.head(CP) == QueueHead(last_ticket=3, serving=1, last_issued_at=T0)
    # Once one is served, one more may queue
    assert command_queues.advance(CP, 1, held=False)
    assert command_queues.take_ticket(CP, "cmd-3", T0, limit=3) == 4


def test_parks_are_numbered_and_keep_the_latest_token(command_queues: CommandQueueRepository) -> None:
    command_queues.take_ticket(CP, "cmd-1", T0, limit=10)
    later = T0 + timedelta(seconds=60)

    assert command_queues.park(CP, 1, "token-a", 60, T0) == 1
    assert command_queues.park(CP, 1, "token-b", 60, later) == 2

    assert command_queues.waiter(CP, 1) == Waiter(1, seen_at=later, park=2, task_token="token-b", hold_seconds=60)


def test_a_ticket_that_left_parks_no_more(command_queues: CommandQueueRepository) -> None:
    command_queues.take_ticket(CP, "cmd-1", T0, limit=10)
    command_queues.park(CP, 1, "token-a", 60, T0)

    command_queues.leave(CP, 1)
    command_queues.leave(CP, 1)  # again: no change

    assert command_queues.park(CP, 1, "token-b", 60, T0) is None
    assert command_queues.waiter(CP, 1) == Waiter(
        1, seen_at=T0, park=1, task_token="token-a", hold_seconds=60, left=True
    )


def test_the_lock_is_granted_once_and_only_on_its_turn(command_queues: CommandQueueRepository) -> None:
    for n in range(2):
        command_queues.take_ticket(CP, f"cmd-{n}", T0, limit=10)

    assert not command_queues.grant(CP, 2, 1, T0 + HOLD)  # not its turn
    assert command_queues.grant(CP, 1, 1, T0 + HOLD)
    assert not command_queues.grant(CP, 1, 2, T0 + HOLD)  # held already

    assert command_queues.head(CP) == QueueHead(
        last_ticket=2, serving=1, granted_park=1, lease_until=T0 + HOLD, last_issued_at=T0
    )


def test_the_turn_passes_only_from_the_ticket_it_is_at_as_seen(command_queues: CommandQueueRepository) -> None:
    for n in range(2):
        command_queues.take_ticket(CP, f"cmd-{n}", T0, limit=2)
    command_queues.grant(CP, 1, 1, T0 + HOLD)

    assert not command_queues.advance(CP, 2, held=False)  # not its turn
    assert not command_queues.advance(CP, 1, held=False)  # it holds the lock
    assert command_queues.advance(CP, 1, held=True)
    assert not command_queues.advance(CP, 2, held=True)  # no holder

    assert command_queues.head(CP) == QueueHead(last_ticket=2, serving=2, last_issued_at=T0)
    assert command_queues.take_ticket(CP, "cmd-2", T0, limit=2) == 3  # one served: one more may queue


def test_a_rejoined_ticket_is_seen_anew_with_no_token_parked(command_queues: CommandQueueRepository) -> None:
    for n in range(2):
        command_queues.take_ticket(CP, f"cmd-{n}", T0, limit=10)
    command_queues.park(CP, 1, "token-a", 60, T0)
    later = T0 + timedelta(minutes=10)

    assert command_queues.rejoin(CP, 1, later)
    assert command_queues.waiter(CP, 1) == Waiter(1, seen_at=later, park=1, hold_seconds=60)
    # A ticket that left stays as it was
    command_queues.leave(CP, 2)
    assert not command_queues.rejoin(CP, 2, later)
    assert command_queues.waiter(CP, 2) == Waiter(2, seen_at=T0, left=True)


def test_only_the_ticket_holding_the_lock_releases_it_and_keeps_its_turn(
    command_queues: CommandQueueRepository,
) -> None:
    for n in range(2):
        command_queues.take_ticket(CP, f"cmd-{n}", T0, limit=10)

    assert not command_queues.release(CP, 1)  # not held
    command_queues.grant(CP, 1, 1, T0 + HOLD)
    assert not command_queues.release(CP, 2)  # not its turn
    assert command_queues.release(CP, 1)

    assert command_queues.head(CP) == QueueHead(last_ticket=2, serving=1, last_issued_at=T0)
    assert command_queues.grant(CP, 1, 2, T0 + HOLD)  # its next park may be granted the lock
