"""Commands whose workflow stopped with `csms local`, taken up again when it starts.

On AWS a command's workflow outlives any restart. `csms local` keeps its tables in its data
directory, but not moto's Step Functions executions nor the command steps queue: at its start,
every command not finished is one whose workflow is gone. Each is taken up by what it waited for:

* Pending (its CALL never went out): its workflow starts again with the same ticket, first
  waiting (up to `RECONNECT_GRACE`) for its charge point to connect again, since the restart
  closed every connection; then it takes its turn as usual, and fails as Offline if the charge
  point is still not back. Its place in the queue is kept meanwhile.
* Sent: the CALL went out on a connection the restart closed, so its answer can never come:
  Failed with code Interrupted, and it leaves the queue, so the next command's turn comes.
* Accepted with a follow-up under way: its workflow starts again at the follow-up check, whose
  deadline still counts from the answer.
"""

from collections import Counter

from csms.commands.executions import CommandExecutions
from csms.commands.models import Command, CommandError, CommandStatus
from csms.commands.outcomes import count_outcome
from csms.commands.ports import CommandRepository
from csms.commands.queue import CommandQueue
from csms.commands.workflow_definition import AWAIT_RECONNECT_SINCE, RESUME_FOLLOW_UP
from csms.domain.ports import Clock
from csms.observability import logger
from csms.timeutil import format_timestamp

INTERRUPTED = CommandError("Interrupted", "csms local restarted before the charge point's answer was recorded")


class CommandRecovery:
    def __init__(
        self, commands: CommandRepository, queue: CommandQueue, executions: CommandExecutions, clock: Clock
    ) -> None:
        self._commands = commands
        self._queue = queue
        self._executions = executions
        self._clock = clock

    def recover(self) -> None:
        """Take up every unfinished command; one that cannot be is logged, and the others still are."""
        unfinished = self._commands.list_unfinished()
        # Before any queue moves on: a ticket not seen for the length of the restart would be passed over.
        for command in unfinished:
            if command.status is CommandStatus.PENDING and command.ticket is not None:
                self._queue.rejoin(command.charge_point_id, command.ticket)
        outcomes: Counter[str] = Counter()
        for command in unfinished:
            try:
                outcomes[self._take_up(command)] += 1
            except Exception:
                logger.exception("Command not taken up after a restart", extra={"command_id": command.command_id})
                outcomes["failed"] += 1
        if unfinished:
            logger.info("Commands taken up after a restart", extra={"commands": dict(outcomes)})

    def _take_up(self, command: Command) -> str:
        now = self._clock.now()
        # Never the name of an execution started before the restart.
        name = f"{command.command_id}-restart-{now:%Y%m%dT%H%M%SZ}"
        match command.status:
            case CommandStatus.PENDING:
                self._executions.start(command, name, **{AWAIT_RECONNECT_SINCE: format_timestamp(now)})
                return "restarted"
            case CommandStatus.SENT:
                if command.ticket is not None:
                    self._queue.leave(command.charge_point_id, command.ticket)
                self._commands.record_failure(command.command_id, CommandStatus.FAILED, INTERRUPTED, now)
                count_outcome(command, CommandStatus.FAILED)
                return "interrupted"
            case CommandStatus.ACCEPTED if command.follow_up is not None:
                self._executions.start(command, name, **{RESUME_FOLLOW_UP: True})
                return "following up"
        logger.warning("Unfinished command left as it is", extra={"command_id": command.command_id})
        return "left"
