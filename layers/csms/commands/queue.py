"""Each charge point's commands go out one at a time, in the order they were submitted: a ticket lock.

Submitting a command takes the charge point's next ticket (refused while `limit` are unserved).
Its workflow's AcquireLock step parks the task token under the ticket and returns; the token is
completed when the ticket is granted the charge point's lock, by whoever moves the queue on: the
waiter itself, the answer or failure of the command before it, or another waiter checking the
queue. Every party first writes its own record (parked, left), then settles the queue from what
is stored; every move of the head is conditional, so of two parties making the same move one
wins. Hence a waiter parking just as the turn passes to it is woken exactly once, whichever
comes first.

No turn is kept forever: a holder past its lease (its workflow died holding the lock) and a
ticket whose workflow was not seen for PARK_LEASE (it never parked, or stopped checking) are
passed over by the next settle. Waiting workflows check every QUEUE_CHECK_SECONDS. When
`csms local` restarts, its workflows are gone and its commands' tickets would look gone too: those
it starts again rejoin the queue first (`rejoin`, `csms.commands.recovery`).
"""

from datetime import datetime, timedelta

from csms.commands.errors import CommandQueueFullError, TurnPassedError
from csms.commands.models import QueueHead, Waiter
from csms.commands.ports import CommandQueueRepository, TaskCompleter
from csms.commands.workflow_definition import QUEUE_CHECK_SECONDS
from csms.domain.ports import Clock

# A lock outlives its call's answer timeout by this much before the next command may take over:
# only a workflow that died holding the lock leaves one behind.
LOCK_GRACE = timedelta(seconds=30)
# A waiting workflow parks again at least every QUEUE_CHECK_SECONDS; one not seen for longer is
# gone (stopped, or its steps lost) and its turn is passed over.
PARK_LEASE = timedelta(seconds=QUEUE_CHECK_SECONDS) + LOCK_GRACE


class CommandQueue:
    def __init__(self, queues: CommandQueueRepository, tasks: TaskCompleter, clock: Clock, limit: int) -> None:
        self._queues = queues
        self._tasks = tasks
        self._clock = clock
        self._limit = limit

    def enter(self, charge_point_id: str, command_id: str) -> int:
        """The command's ticket; raises `CommandQueueFullError` (nothing written) while `limit` are unserved."""
        ticket = self._queues.take_ticket(charge_point_id, command_id, self._clock.now(), self._limit)
        if ticket is None:
            raise CommandQueueFullError(charge_point_id, self._limit)
        return ticket

    def withdraw(self, charge_point_id: str, ticket: int) -> None:
        """Give up a ticket whose workflow never started.

        Nothing is settled here: submitters may not complete task tokens. The commands queued
        behind pass it over when they next check the queue.
        """
        self._queues.leave(charge_point_id, ticket)

    def wait(self, charge_point_id: str, ticket: int, task_token: str, answer_timeout: timedelta) -> None:
        """Wait for the ticket's turn: `task_token` is completed once the ticket holds the lock, now or later.

        Raises `TurnPassedError` if the turn went by (the ticket left, or was passed over as gone).
        """
        hold_seconds = int((answer_timeout + LOCK_GRACE).total_seconds())
        park = self._queues.park(charge_point_id, ticket, task_token, hold_seconds, self._clock.now())
        if park is None:
            raise TurnPassedError(f"{charge_point_id}'s ticket {ticket} has left the queue")
        self._settle(charge_point_id)
        head = self._queues.head(charge_point_id)
        if head.serving > ticket:
            raise TurnPassedError(f"{charge_point_id}'s ticket {ticket} was passed over")
        if head.serving == ticket and head.granted_park not in (None, park):
            # Granted to an earlier park, whose token is gone (it timed out, or the step was redelivered).
            self._tasks.succeed(task_token, {})

    def leave(self, charge_point_id: str, ticket: int) -> None:
        """The command is done with the charge point (answered, or failed): the next one gets its turn."""
        self._queues.leave(charge_point_id, ticket)
        self._settle(charge_point_id)

    def rejoin(self, charge_point_id: str, ticket: int) -> None:
        """Keep the place of a ticket whose workflow is started again (the one that waited for it
        stopped with `csms local`): it is seen now, so nothing passes it over before the new workflow
        parks, and a lock it held is free for that park (it sent nothing: its command is Pending).

        Nothing is settled here, as for a withdrawn ticket: the new workflow's park settles.
        """
        if self._queues.rejoin(charge_point_id, ticket, self._clock.now()):
            self._queues.release(charge_point_id, ticket)

    def _settle(self, charge_point_id: str) -> None:
        """Move the queue on as far as what is stored allows; a lost race reads the head again."""
        while True:
            head = self._queues.head(charge_point_id)
            if not head.waiting:
                return
            now = self._clock.now()
            waiter = self._queues.waiter(charge_point_id, head.serving)
            if head.granted_park is not None:
                if not _released(head, waiter, now):
                    return
                self._queues.advance(charge_point_id, head.serving, held=True)
            elif (waiter is not None and waiter.left) or not _seen_lately(head, waiter, now):
                self._queues.advance(charge_point_id, head.serving, held=False)
            elif waiter is not None and waiter.task_token is not None:
                lease_until = now + timedelta(seconds=waiter.hold_seconds)
                if self._queues.grant(charge_point_id, head.serving, waiter.park, lease_until):
                    self._tasks.succeed(waiter.task_token, {})
                    return
            else:
                return  # its workflow has yet to park


def _released(head: QueueHead, holder: Waiter | None, now: datetime) -> bool:
    """The holder is done, or its workflow died with the lock (its lease ran out)."""
    return (holder is not None and holder.left) or (head.lease_until is not None and head.lease_until < now)


def _seen_lately(head: QueueHead, waiter: Waiter | None, now: datetime) -> bool:
    """The ticket's workflow was issued its ticket or parked within PARK_LEASE."""
    seen_at = waiter.seen_at if waiter is not None else head.last_issued_at  # no waiter: its submitter died
    return seen_at is not None and now <= seen_at + PARK_LEASE
