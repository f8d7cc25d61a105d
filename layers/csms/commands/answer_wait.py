"""Waiting a moment, within one API request, for the charge point to answer commands just submitted.

The operator waits only so long (well inside the API's 29 s): a charge point that is slow to answer leaves the
commands running, to be followed by their ids.
"""

import time
from collections.abc import Callable
from datetime import timedelta

from csms.commands.models import Command
from csms.commands.service import CommandService
from csms.domain.ports import Clock

ANSWER_WAIT = timedelta(seconds=10)
POLL_SECONDS = 0.2


class AnswerWait:
    def __init__(self, commands: CommandService, clock: Clock, sleep: Callable[[float], None] = time.sleep) -> None:
        self._commands = commands
        self._clock = clock
        self._sleep = sleep

    def answered(self, submitted: list[Command]) -> list[Command]:
        """The commands as they stand once all are answered (or failed), or ANSWER_WAIT passed."""
        deadline = self._clock.now() + ANSWER_WAIT
        commands = submitted
        while any(c.status.awaiting_answer for c in commands) and self._clock.now() < deadline:
            self._sleep(POLL_SECONDS)
            commands = [self._commands.get(c.command_id) or c for c in commands]
        return commands
