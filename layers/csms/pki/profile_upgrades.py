"""Moving a charger up to security profile 3: how far its upgrade got (`csms.pki.security_profile_upgrade` runs it).

One upgrade per charger is kept (the latest), with the step it is at (whose command's answer moves it on) and the
commands it sent.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

# An upgrade not completed within this long is Failed (the charger never came back with its certificate).
UPGRADE_DEADLINE = timedelta(minutes=30)


class UpgradeStatus(StrEnum):
    RUNNING = "Running"
    COMPLETED = "Completed"  # the charger reconnected with its certificate: its profile is 3
    FAILED = "Failed"  # `reason` says why; the charger's profile is unchanged


class UpgradeStep(StrEnum):
    CERTIFICATE = "Certificate"  # asked for a signing request; waits for CertificateSigned to be accepted
    ROOT = "Root"  # InstallCertificate of the CSMS root
    PRIORITY_READ = "NetworkPriorityRead"  # 2.0.1 GetVariables OCPPCommCtrlr.NetworkConfigurationPriority
    NETWORK_PROFILE = "NetworkProfile"  # 2.0.1 SetNetworkProfile at profile 3
    PRIORITY = "NetworkPriority"  # 2.0.1 SetVariables NetworkConfigurationPriority: the new slot first
    CONFIGURATION = "Configuration"  # 1.6 ChangeConfiguration SecurityProfile 3
    RESET = "Reset"  # the charger restarts to connect with the new profile
    RECONNECT = "Reconnect"  # waits for a connection with the charger's certificate


# The actions whose answers end each step (the certificate step ends with CertificateSigned accepted; its trigger's
# answer only says whether the charger will send a signing request).
STEP_ACTIONS = {
    UpgradeStep.CERTIFICATE: frozenset({"TriggerMessage", "ExtendedTriggerMessage", "CertificateSigned"}),
    UpgradeStep.ROOT: frozenset({"InstallCertificate"}),
    UpgradeStep.PRIORITY_READ: frozenset({"GetVariables"}),
    UpgradeStep.NETWORK_PROFILE: frozenset({"SetNetworkProfile"}),
    UpgradeStep.PRIORITY: frozenset({"SetVariables"}),
    UpgradeStep.CONFIGURATION: frozenset({"ChangeConfiguration"}),
    UpgradeStep.RESET: frozenset({"Reset"}),
}
# Every action an upgrade listens to (`csms.composition` registers them with the answer effects).
UPGRADE_ACTIONS = frozenset().union(*STEP_ACTIONS.values())


@dataclass(frozen=True)
class ProfileUpgrade:
    """A charger's latest upgrade (`upgrade_id` None: none was ever started)."""

    upgrade_id: str | None = None
    target: int = 3
    status: UpgradeStatus = UpgradeStatus.RUNNING
    step: UpgradeStep = UpgradeStep.CERTIFICATE
    command_ids: tuple[str, ...] = ()  # every command it sent, in order
    csms_url: str | None = None  # 2.0.1: the ocppCsmsUrl of the new network profile
    ocpp_interface: str | None = None  # 2.0.1: its ocppInterface
    configuration_slot: int | None = None  # 2.0.1: the slot it is set in (known once the priority is read)
    network_priority: str | None = None  # 2.0.1: NetworkConfigurationPriority with that slot first
    reason: str | None = None
    started_at: datetime | None = None
    updated_at: datetime | None = None

    def running_at(self, now: datetime) -> bool:
        """Whether it is still under way at `now` (one past its deadline is not)."""
        return self.status is UpgradeStatus.RUNNING and self.started_at is not None and now < self.deadline

    @property
    def deadline(self) -> datetime:
        if self.started_at is None:
            raise ValueError("no upgrade started")
        return self.started_at + UPGRADE_DEADLINE

    def as_of(self, now: datetime) -> "ProfileUpgrade":
        """As the operator sees it at `now`: a running one past its deadline is Failed."""
        if self.status is UpgradeStatus.RUNNING and self.upgrade_id is not None and not self.running_at(now):
            return replace(
                self,
                status=UpgradeStatus.FAILED,
                reason=f"Not completed within {int(UPGRADE_DEADLINE.total_seconds() // 60)} minutes "
                f"(at step {self.step.value})",
            )
        return self


ProfileUpgradeChange = Callable[[ProfileUpgrade], ProfileUpgrade]


class ProfileUpgradeRepository(Protocol):
    """One `ProfileUpgrade` per charger, kept with it (deleting the charger deletes it)."""

    def get(self, charge_point_id: str) -> ProfileUpgrade:
        """The stored one, read strongly consistent; an empty one (`upgrade_id` None) when none is stored."""

    def update(self, charge_point_id: str, change: ProfileUpgradeChange) -> ProfileUpgrade:
        """Store what `change` makes of the current one (written unless unchanged; made again from the newer one
        when another write came first)."""
