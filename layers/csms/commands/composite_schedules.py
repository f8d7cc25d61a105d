"""Asking a charge point for its composite schedule, and waiting a moment for its answer.

GetCompositeSchedule goes through the command workflow like any command; the operator waits for the
answer a moment (`answer_wait`).
"""

from csms.commands.answer_wait import AnswerWait
from csms.commands.errors import ChargePointOfflineError, UnknownChargePointError
from csms.commands.models import Command
from csms.commands.service import CommandService
from csms.domain.ports import ChargePointRepository


class CompositeSchedules:
    def __init__(
        self,
        commands: CommandService,
        charge_points: ChargePointRepository,
        answer_wait: AnswerWait,
    ) -> None:
        self._commands = commands
        self._charge_points = charge_points
        self._answer_wait = answer_wait

    def ask(
        self,
        charge_point_id: str,
        duration: int,
        connector_id: int | None = None,
        evse_id: int | None = None,
        rate_unit: str | None = None,
    ) -> Command:
        """The GetCompositeSchedule command, answered (or failed) if that happened within the wait.

        Raises `UnknownChargePointError`, `ChargePointOfflineError` and what submitting raises
        (`VersionUnknownError`, `InvalidCommandError`, `CommandQueueFullError`): nothing is sent then.
        """
        charge_point = self._charge_points.get(charge_point_id)
        if charge_point is None:
            raise UnknownChargePointError(charge_point_id)
        if not charge_point.connected:
            raise ChargePointOfflineError(charge_point_id)
        command = self._commands.composite_schedule(charge_point_id, duration, connector_id, evse_id, rate_unit)
        [answered] = self._answer_wait.answered([command])
        return answered
