"""Asking a charge point for its composite schedule, and waiting a moment for its answer.

GetCompositeSchedule goes through the command workflow like any command. The operator waits for the
answer within one request, but only so long (well inside the API's 29 s): a charge point that is
slow to answer leaves the command running, to be followed by its id.
"""

import time
from collections.abc import Callable
from datetime import timedelta

from csms.commands.errors import ChargePointOfflineError, UnknownChargePointError
from csms.commands.models import Command
from csms.commands.service import CommandService
from csms.domain.ports import ChargePointRepository, Clock

ANSWER_WAIT = timedelta(seconds=10)
POLL_SECONDS = 0.2


class CompositeSchedules:
    def __init__(
        self,
        commands: CommandService,
        charge_points: ChargePointRepository,
        clock: Clock,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._commands = commands
        self._charge_points = charge_points
        self._clock = clock
        self._sleep = sleep

    def ask(
        self,
        charge_point_id: str,
        duration: int,
        connector_id: int | None = None,
        evse_id: int | None = None,
        rate_unit: str | None = None,
    ) -> Command:
        """The GetCompositeSchedule command, answered (or failed) if that happened within ANSWER_WAIT.

        Raises `UnknownChargePointError`, `ChargePointOfflineError` and what submitting raises
        (`VersionUnknownError`, `InvalidCommandError`, `CommandQueueFullError`): nothing is sent then.
        """
        charge_point = self._charge_points.get(charge_point_id)
        if charge_point is None:
            raise UnknownChargePointError(charge_point_id)
        if not charge_point.connected:
            raise ChargePointOfflineError(charge_point_id)
        command = self._commands.composite_schedule(charge_point_id, duration, connector_id, evse_id, rate_unit)
        deadline = self._clock.now() + ANSWER_WAIT
        while command.status.awaiting_answer and self._clock.now() < deadline:
            self._sleep(POLL_SECONDS)
            command = self._commands.get(command.command_id) or command
        return command
