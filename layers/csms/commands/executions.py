"""Starting a command's workflow execution, and what a start that failed leaves of the command."""

from typing import Any

from csms.commands.models import Command, CommandError, CommandStatus
from csms.commands.outcomes import count_outcome
from csms.commands.ports import CommandRepository, WorkflowStarter
from csms.commands.queue import CommandQueue
from csms.commands.workflow_definition import execution_input
from csms.domain.ports import Clock

NOT_STARTED = "NotStarted"


class CommandExecutions:
    def __init__(
        self,
        commands: CommandRepository,
        workflows: WorkflowStarter,
        queue: CommandQueue,
        clock: Clock,
        answer_timeout_seconds: int,
    ) -> None:
        self._commands = commands
        self._workflows = workflows
        self._queue = queue
        self._clock = clock
        self._answer_timeout_seconds = answer_timeout_seconds

    def start(self, command: Command, name: str | None = None, **resume: Any) -> str:
        """Start the command's workflow, named `name` (the command id by default), with `resume` added
        to its input; stores the execution and returns its ARN.

        If it cannot start, the command is over and the error is raised: a command awaiting its
        answer leaves its charge point's queue and is Failed (NotStarted); one answered already
        keeps its answer, and its result says why its follow-up ended.
        """
        started_with = execution_input(
            command.command_id, command.charge_point_id, command.action, self._answer_timeout_seconds
        )
        try:
            execution_arn = self._workflows.start(name or command.command_id, {**started_with, **resume})
        except Exception as error:
            self._not_started(command, f"The workflow could not be started: {error}")
            raise
        self._commands.set_execution(command.command_id, execution_arn)
        return execution_arn

    def _not_started(self, command: Command, description: str) -> None:
        now = self._clock.now()
        if not command.status.awaiting_answer:
            self._commands.record_result(
                command.command_id, {"error": {"code": NOT_STARTED, "description": description}}, now
            )
            return
        if command.ticket is not None:
            self._queue.withdraw(command.charge_point_id, command.ticket)
        error = CommandError(NOT_STARTED, description)
        self._commands.record_failure(command.command_id, CommandStatus.FAILED, error, now)
        count_outcome(command, CommandStatus.FAILED)
