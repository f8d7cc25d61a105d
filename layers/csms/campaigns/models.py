"""A campaign, its rollout, and the state of each charger in it."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from csms.wire.versions import OcppVersion


class CampaignStatus(StrEnum):
    RUNNING = "Running"
    PAUSED = "Paused"  # no charger starts until resumed; those running finish
    HALTED = "Halted"  # the failed share exceeded the threshold after the canary
    COMPLETED = "Completed"
    CANCELLED = "Cancelled"

    @property
    def final(self) -> bool:
        return self in (CampaignStatus.HALTED, CampaignStatus.COMPLETED, CampaignStatus.CANCELLED)


class ChargerState(StrEnum):
    PENDING = "pending"  # its turn has not come
    RUNNING = "running"  # its commands are on their way, or it waits to be connected
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"  # offline longer than `chargerTimeoutSeconds`, or nothing it could be sent

    @property
    def finished(self) -> bool:
        return self in (ChargerState.SUCCEEDED, ChargerState.FAILED, ChargerState.SKIPPED)


class OperationKind(StrEnum):
    CONFIGURATION = "configuration"
    COMMAND = "command"
    FIRMWARE = "firmware"


@dataclass(frozen=True)
class Target:
    """Which chargers: those matching every filter given, read when the campaign is created."""

    charger_ids: tuple[str, ...] | None = None
    site_id: str | None = None
    vendor: str | None = None
    model: str | None = None
    firmware_version: str | None = None
    ocpp_version: OcppVersion | None = None


@dataclass(frozen=True)
class Rollout:
    canary: int = 1  # chargers done first, alone
    batch_size: int = 10
    max_concurrency: int = 10  # chargers running at once within a batch
    failure_threshold: float = 0.1  # halt when failed / finished exceeds it, after the canary
    charger_timeout_seconds: int = 600  # how long an offline charger is waited for before it is skipped


@dataclass
class Counts:
    total: int = 0
    pending: int = 0
    running: int = 0
    succeeded: int = 0
    failed: int = 0
    skipped: int = 0

    def of(self, state: ChargerState) -> int:
        return int(getattr(self, state.value))

    @property
    def finished(self) -> int:
        return self.succeeded + self.failed + self.skipped


@dataclass
class Campaign:
    campaign_id: str
    name: str
    target: dict[str, Any]  # as the operator gave it
    operation: dict[str, Any]  # as the operator gave it
    rollout: Rollout
    status: CampaignStatus
    created_at: datetime
    counts: Counts
    batches: int  # how many batches, the canary's included
    batch: int = 0  # the batch running (or the next one to start)
    # The workflow execution that runs it: its generation (a new execution takes the next one) and whether one runs.
    generation: int = 1
    active: bool = True
    updated_at: datetime | None = None
    reason: str | None = None  # why it halted


@dataclass
class CampaignCharger:
    charger_id: str
    batch: int
    state: ChargerState = ChargerState.PENDING
    ocpp_version: OcppVersion | None = None
    command_ids: tuple[str, ...] = ()  # every command sent to it, oldest first
    in_flight: tuple[str, ...] = ()  # those whose outcome is awaited
    outcome: dict[str, Any] | None = None  # what became of it (a reason, the settings' answers, a result)
    waiting_since: datetime | None = None  # offline when its turn came (or when its commands went out)
    started_at: datetime | None = None
    finished_at: datetime | None = None


@dataclass(frozen=True)
class Verdict:
    """What a charger's commands came to: `state` None while one is awaited; `offline` when one found it
    offline (it waits to be sent again)."""

    state: ChargerState | None
    outcome: dict[str, Any] | None = None
    offline: bool = False
