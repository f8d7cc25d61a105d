"""Why a command cannot be submitted, and why a workflow step fails."""


class UnknownChargePointError(LookupError):
    """No charge point is registered under this id."""


class ChargePointOfflineError(Exception):
    """The charge point is not connected: a command that waits for its answer would only time out."""


class VersionUnknownError(Exception):
    """The charge point never connected, so its OCPP version (and hence the schema) is unknown."""


class InvalidCommandError(ValueError):
    """The command is not one the charge point's OCPP version allows; `reasons` says why."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


class CommandQueueFullError(Exception):
    """The charge point has `limit` commands queued already; the command is refused, nothing is stored."""

    def __init__(self, charge_point_id: str, limit: int) -> None:
        super().__init__(f"{charge_point_id} has {limit} commands queued already")
        self.charge_point_id = charge_point_id
        self.limit = limit


class TurnPassedError(Exception):
    """A ticket's turn went by without it: its command left the queue, or was passed over as dead."""


class StepFailedError(Exception):
    """A workflow step fails with a Step Functions error name (see `workflow_definition.StepError`)."""

    def __init__(self, error: str, cause: str) -> None:
        super().__init__(f"{error}: {cause}")
        self.error = error
        self.cause = cause


# What `CommandService.submit` raises when nothing was sent: a caller that sends on its own initiative (a
# rebalance, a charger's site default profile) logs it and carries on.
NOT_SUBMITTED = (UnknownChargePointError, VersionUnknownError, InvalidCommandError, CommandQueueFullError)
