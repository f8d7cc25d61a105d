"""How a campaign reads one of the commands it sent: still awaited, or refused (and how the refusal reads)."""

from csms.commands.models import Command, CommandStatus


def awaited(command: Command) -> bool:
    """Unanswered, or accepted with a follow-up still running."""
    return command.status.awaiting_answer or (
        command.status is CommandStatus.ACCEPTED and command.follow_up is not None and command.finished_at is None
    )


def refusal(command: Command) -> str:
    """A command that was not Accepted, as a campaign's reason: the charger's answer or the command's status, and
    its error code, if any (`ClearCache: Rejected`)."""
    code = f" ({command.error.code})" if command.error else ""
    answered = command.response.get("status") if command.response else None
    return f"{command.action}: {answered or command.status.value}{code}"
