"""Counting commands by their final status, per action (the metric `CommandOutcomes`)."""

from csms.commands.models import Command, CommandStatus
from csms.metric_names import ACTION, COMMAND_OUTCOMES, OUTCOME
from csms.observability import metrics


def count_outcome(command: Command, status: CommandStatus) -> None:
    """`status` is the command's answer or failure as just recorded: Accepted, Rejected, Failed,
    TimedOut or Offline. The action is one the command's schema validated, so the set is closed."""
    metrics.count(COMMAND_OUTCOMES, **{ACTION: command.action, OUTCOME: status.value})
