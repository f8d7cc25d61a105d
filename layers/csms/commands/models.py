"""Commands, the calls that carry them, and what became of them."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from csms.wire.versions import OcppVersion


class CommandStatus(StrEnum):
    PENDING = "Pending"  # created, its workflow started
    SENT = "Sent"  # the CALL went out, no answer yet
    ACCEPTED = "Accepted"
    REJECTED = "Rejected"
    FAILED = "Failed"  # CALLERROR, invalid response, or the CSMS could not send it
    TIMED_OUT = "TimedOut"
    OFFLINE = "Offline"

    @property
    def awaiting_answer(self) -> bool:
        return self in (CommandStatus.PENDING, CommandStatus.SENT)


class FollowUpKind(StrEnum):
    """What the workflow waits for after an accepted command."""

    TRANSACTION_STARTED = "TransactionStarted"  # remote start: the transaction begins
    BACK_ONLINE = "BackOnline"  # reset: the charge point boots or reconnects
    FIRMWARE_INSTALLED = "FirmwareInstalled"  # UpdateFirmware: FirmwareStatusNotification to an end state


@dataclass(frozen=True)
class FollowUp:
    kind: FollowUpKind
    timeout_seconds: int


@dataclass(frozen=True)
class CommandError:
    """Why a command failed: an OCPP CALLERROR code, or one of the CSMS's own (Offline, Timeout, ...)."""

    code: str
    description: str


@dataclass
class Command:
    command_id: str
    charge_point_id: str
    ocpp_version: OcppVersion
    action: str
    request: dict[str, Any]
    status: CommandStatus
    created_at: datetime
    follow_up: FollowUp | None = None
    execution_arn: str | None = None
    message_id: str | None = None
    # The connection the CALL went out on (a reset's follow-up looks for a newer one).
    connection_id: str | None = None
    sent_at: datetime | None = None
    answered_at: datetime | None = None
    finished_at: datetime | None = None
    response: dict[str, Any] | None = None
    error: CommandError | None = None
    # What the follow-up found (transaction id, came back, firmware status, ...).
    result: dict[str, Any] | None = None


@dataclass(frozen=True)
class CallAnswer:
    """What the charge point answered a call: a CALLRESULT payload or a CALLERROR."""

    answered_at: datetime
    response: dict[str, Any] | None = None
    error: CommandError | None = None


@dataclass(frozen=True)
class PendingCall:
    """A CALL on the wire, waiting for its CALLRESULT or CALLERROR; the token resumes the workflow."""

    charge_point_id: str
    message_id: str
    action: str
    command_id: str
    task_token: str
    sent_at: datetime
