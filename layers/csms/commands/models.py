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
    # 2.0.1 PublishFirmware: PublishFirmwareStatusNotification to Published or a failure
    FIRMWARE_PUBLISHED = "FirmwarePublished"

    @property
    def on_firmware_clock(self) -> bool:
        """Waited for as long as a firmware update may take (a download first), not a short follow-up."""
        return self in (FollowUpKind.FIRMWARE_INSTALLED, FollowUpKind.FIRMWARE_PUBLISHED)


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
    # Its place in the charge point's command queue (`csms.commands.queue`), taken when submitted.
    ticket: int | None = None


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
    ticket: int  # the command's place in the charge point's queue, which the answer moves on


@dataclass(frozen=True)
class QueueHead:
    """Where a charge point's command queue stands; tickets count from 1."""

    last_ticket: int = 0  # the newest ticket issued
    serving: int = 1  # the ticket whose turn it is: every earlier one is done
    granted_park: int | None = None  # set while `serving` holds the lock: the park it was granted to
    lease_until: datetime | None = None  # until when the holder may keep the lock without answering
    last_issued_at: datetime | None = None

    @property
    def waiting(self) -> bool:
        return self.serving <= self.last_ticket


@dataclass(frozen=True)
class Waiter:
    """A ticket, and the workflow that waits for its turn (parking its task token, again and again)."""

    ticket: int
    seen_at: datetime | None = None  # when the ticket was issued, or last parked
    park: int = 0  # how often its workflow parked (0: not yet); the lock is granted to one park
    task_token: str | None = None  # of the latest park
    hold_seconds: int = 0  # how long it may hold the lock once granted
    left: bool = False  # done with the queue: answered, failed or abandoned
