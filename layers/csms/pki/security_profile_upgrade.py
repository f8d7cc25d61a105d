"""Moving a connected charger from a password up to security profile 3 (client certificate), on the charger first.

The steps, each a command through the command workflow whose answer moves the upgrade on (`answered`, `failed`):

1. Certificate: unless the charger holds an Active certificate of the CSMS CA, it is asked for a signing request
   (2.0.1 TriggerMessage SignChargingStationCertificate, 1.6 ExtendedTriggerMessage SignChargePointCertificate);
   the step ends when the charger accepts the CertificateSigned that follows its SignCertificate.
2. Root: unless the CSMS knows it trusts the CSMS root, InstallCertificate of it (CSMSRootCertificate; 1.6
   CentralSystemRootCertificate).
3. Profile, as OCPP 2.0.1 use case A05 orders it: GetVariables OCPPCommCtrlr.NetworkConfigurationPriority (to pick a
   free configuration slot and keep the others as fallbacks), SetNetworkProfile of that slot at profile 3,
   SetVariables NetworkConfigurationPriority with that slot first, Reset OnIdle. 1.6 (security whitepaper):
   ChangeConfiguration SecurityProfile 3, after which the charge point reconnects on its own (a Soft Reset when it
   answers RebootRequired).
4. The first connection made with the charger's certificate after that completes it: only then does the CSMS record
   the charger's profile as 3 (`reconnected_with_certificate`, from `$connect`).

A refusal, a CALLERROR or a command that never reaches the charger fails the upgrade with the reason; the charger's
profile in the CSMS stays what it was. Answers are matched to the step the upgrade is at by their action (the
step is stored before its command is sent, so an answer cannot come before the upgrade knows it waits for it).
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from uuid import uuid4

from csms.commands.errors import ChargePointOfflineError, UnknownChargePointError, VersionUnknownError
from csms.commands.models import Command, CommandError
from csms.commands.service import CommandService
from csms.domain.ports import ChargePointRepository, Clock
from csms.domain.security_extension import SECURITY_PROFILE_KEY
from csms.domain.security_profiles import CERTIFICATE_PROFILE, effective_security_profile
from csms.domain.violations import InvalidValuesError
from csms.pki.installed import hash_data_of
from csms.pki.installed_certificates import InstalledCertificateService
from csms.pki.models import CertificateStatus
from csms.pki.profile_upgrades import (
    STEP_ACTIONS,
    ProfileUpgrade,
    ProfileUpgradeRepository,
    UpgradeStatus,
    UpgradeStep,
)
from csms.pki.renewal import RENEWAL_TRIGGERS
from csms.pki.service import CertificateService
from csms.wire.versions import OcppVersion

CERTIFICATE_SIGNED = "CertificateSigned"
ROOT_CERTIFICATE_TYPES = {
    OcppVersion.V16: "CentralSystemRootCertificate",
    OcppVersion.V201: "CSMSRootCertificate",
}
COMM_CONTROLLER, NETWORK_PRIORITY = "OCPPCommCtrlr", "NetworkConfigurationPriority"
DEFAULT_INTERFACE = "Wired0"
MESSAGE_TIMEOUT_SECONDS = 30
# Answers that let the upgrade go on, by step (others: Accepted only).
_ACCEPTED = frozenset({"Accepted"})
_GOES_ON = {
    UpgradeStep.PRIORITY: frozenset({"Accepted", "RebootRequired"}),
    UpgradeStep.RESET: frozenset({"Accepted", "Scheduled"}),
}
# Steps after which the charger may connect with its certificate at any moment: such a connection completes it.
_SWITCHING = frozenset({UpgradeStep.CONFIGURATION, UpgradeStep.RESET, UpgradeStep.RECONNECT})
# Each version's order of the steps.
_STEPS = {
    OcppVersion.V201: (
        UpgradeStep.CERTIFICATE,
        UpgradeStep.ROOT,
        UpgradeStep.PRIORITY_READ,
        UpgradeStep.NETWORK_PROFILE,
        UpgradeStep.PRIORITY,
        UpgradeStep.RESET,
        UpgradeStep.RECONNECT,
    ),
    OcppVersion.V16: (UpgradeStep.CERTIFICATE, UpgradeStep.ROOT, UpgradeStep.CONFIGURATION, UpgradeStep.RECONNECT),
}


class UpgradeRunningError(Exception):
    """The charger's upgrade is still under way: one at a time."""


@dataclass(frozen=True)
class UpgradeRequest:
    target: int
    csms_url: str | None = None  # 2.0.1: ocppCsmsUrl (None: the CSMS's configured one)
    ocpp_interface: str = DEFAULT_INTERFACE
    configuration_slot: int | None = None  # 2.0.1 (None: the lowest one not in NetworkConfigurationPriority)


@dataclass(frozen=True)
class UpgradeState:
    """What the operator sees: the charger's profile in the CSMS and its latest upgrade (None: none)."""

    security_profile: int
    upgrade: ProfileUpgrade | None


class SecurityProfileUpgrades:
    def __init__(
        self,
        upgrades: ProfileUpgradeRepository,
        charge_points: ChargePointRepository,
        certificates: CertificateService,
        installed: InstalledCertificateService,
        commands: CommandService,
        clock: Clock,
        default_csms_url: str | None,
    ) -> None:
        self._upgrades = upgrades
        self._charge_points = charge_points
        self._certificates = certificates
        self._installed = installed
        self._commands = commands
        self._clock = clock
        self._default_csms_url = default_csms_url or None

    def start(self, charge_point_id: str, request: UpgradeRequest) -> ProfileUpgrade:
        """Start the upgrade and send its first command.

        Raises `UnknownChargePointError`, `VersionUnknownError`, `ChargePointOfflineError`, `UpgradeRunningError`,
        `InvalidValuesError` (a target other than 3, a charger at 3 already, no CSMS URL for a 2.0.1 charger) and
        what submitting raises (the upgrade is then Failed).
        """
        charge_point = self._charge_points.get(charge_point_id)
        if charge_point is None:
            raise UnknownChargePointError(charge_point_id)
        version = charge_point.ocpp_version
        if version is None:
            raise VersionUnknownError(charge_point_id)
        now = self._clock.now()
        if self._upgrades.get(charge_point_id).running_at(now):
            raise UpgradeRunningError(charge_point_id)
        current = effective_security_profile(charge_point.security_profile, charge_point.password_hash is not None)
        csms_url = request.csms_url or self._default_csms_url
        _check(request, current, version, csms_url)
        if not charge_point.connected:
            raise ChargePointOfflineError(charge_point_id)
        upgrade = ProfileUpgrade(
            upgrade_id=str(uuid4()),
            target=request.target,
            csms_url=csms_url if version is OcppVersion.V201 else None,
            ocpp_interface=request.ocpp_interface if version is OcppVersion.V201 else None,
            configuration_slot=request.configuration_slot,
            started_at=now,
            updated_at=now,
        )
        self._upgrades.update(charge_point_id, lambda _: upgrade)
        return self._enter(charge_point_id, version, upgrade, UpgradeStep.CERTIFICATE, raise_refusal=True)

    def state(self, charge_point_id: str) -> UpgradeState:
        """Raises `UnknownChargePointError`."""
        charge_point = self._charge_points.get(charge_point_id)
        if charge_point is None:
            raise UnknownChargePointError(charge_point_id)
        profile = effective_security_profile(charge_point.security_profile, charge_point.password_hash is not None)
        upgrade = self._upgrades.get(charge_point_id)
        return UpgradeState(profile, upgrade.as_of(self._clock.now()) if upgrade.upgrade_id is not None else None)

    def answered(self, command: Command, response: dict[str, Any]) -> None:
        """An answer to one of `UPGRADE_ACTIONS`: the upgrade at that step goes on, or fails."""
        upgrade = self._running(command)
        if upgrade is None:
            return
        step, status = upgrade.step, _status(command, response)
        if step is UpgradeStep.PRIORITY_READ:
            self._priority_read(command, upgrade, response)
            return
        if step is UpgradeStep.CONFIGURATION and status == "RebootRequired":
            self._enter(command.charge_point_id, command.ocpp_version, upgrade, UpgradeStep.RESET)
            return
        if status not in _GOES_ON.get(step, _ACCEPTED):
            self._fail(command.charge_point_id, upgrade, _refusal(command, status, response))
        elif command.action == CERTIFICATE_SIGNED or step is not UpgradeStep.CERTIFICATE:
            # (a trigger's answer: SignCertificate and CertificateSigned follow)
            self._next(command, upgrade)

    def failed(self, command: Command, error: CommandError) -> None:
        """A command of the step failed (CALLERROR, offline, no answer): so does the upgrade."""
        upgrade = self._running(command)
        if upgrade is not None:
            self._fail(command.charge_point_id, upgrade, f"{command.action} failed: {error.code} {error.description}")

    def reconnected_with_certificate(self, charge_point_id: str) -> None:
        """A connection admitted with the charger's certificate: an upgrade that set the profile is completed."""
        now = self._clock.now()
        upgrade = self._upgrades.get(charge_point_id)
        if not upgrade.running_at(now) or upgrade.step not in _SWITCHING:
            return
        self._charge_points.set_security_profile(charge_point_id, upgrade.target)
        self._upgrades.update(
            charge_point_id,
            lambda current: (
                replace(current, status=UpgradeStatus.COMPLETED, step=UpgradeStep.RECONNECT, updated_at=now)
                if current.upgrade_id == upgrade.upgrade_id and current.status is UpgradeStatus.RUNNING
                else current
            ),
        )

    def _running(self, command: Command) -> ProfileUpgrade | None:
        """The charger's upgrade if it is under way at the step this command's answer ends."""
        upgrade = self._upgrades.get(command.charge_point_id)
        if not upgrade.running_at(self._clock.now()):
            return None
        return upgrade if command.action in STEP_ACTIONS.get(upgrade.step, frozenset()) else None

    def _next(self, command: Command, upgrade: ProfileUpgrade) -> None:
        steps = _STEPS[command.ocpp_version]
        following = steps[steps.index(upgrade.step) + 1] if upgrade.step in steps else UpgradeStep.RECONNECT
        self._enter(command.charge_point_id, command.ocpp_version, upgrade, following)

    def _priority_read(self, command: Command, upgrade: ProfileUpgrade, response: dict[str, Any]) -> None:
        results = [r for r in response.get("getVariableResult", []) if _names_priority(r)]
        if not results or results[0].get("attributeStatus") != "Accepted":
            status = results[0].get("attributeStatus") if results else "nothing"
            self._fail(command.charge_point_id, upgrade, f"GetVariables {COMM_CONTROLLER}.{NETWORK_PRIORITY}: {status}")
            return
        slots = [int(s) for s in str(results[0].get("attributeValue", "")).split(",") if s.strip().isdigit()]
        slot = upgrade.configuration_slot
        if slot is None:
            slot = next(candidate for candidate in range(len(slots) + 1) if candidate not in slots)
        with_slot = replace(upgrade, configuration_slot=slot, network_priority=_priority(slot, slots))
        self._enter(command.charge_point_id, command.ocpp_version, with_slot, UpgradeStep.NETWORK_PROFILE)

    def _enter(
        self,
        charge_point_id: str,
        version: OcppVersion,
        upgrade: ProfileUpgrade,
        step: UpgradeStep,
        raise_refusal: bool = False,
    ) -> ProfileUpgrade:
        """Store the upgrade at `step` (or the first later one it needs) and send that step's command."""
        step = self._needed(charge_point_id, version, step)
        now = self._clock.now()

        def at_step(current: ProfileUpgrade) -> ProfileUpgrade:
            if current.step is not upgrade.step:  # another answer moved it on already
                return current
            slot, priority = upgrade.configuration_slot, upgrade.network_priority
            return replace(current, step=step, configuration_slot=slot, network_priority=priority, updated_at=now)

        stored = self._upgrades.update(charge_point_id, _if_same(upgrade, at_step))
        moved = stored.upgrade_id == upgrade.upgrade_id and stored.step is step and stored.updated_at == now
        submit = self._submission(charge_point_id, version, stored)
        if submit is None or not moved or stored.status is not UpgradeStatus.RUNNING:
            return stored
        try:
            command = submit()
        except Exception as refused:
            failed = self._fail(charge_point_id, stored, f"{step.value}: the command was not sent ({refused})")
            if raise_refusal:
                raise
            return failed
        return self._upgrades.update(
            charge_point_id,
            lambda current: (
                replace(current, command_ids=(*current.command_ids, command.command_id))
                if current.upgrade_id == upgrade.upgrade_id
                else current
            ),
        )

    def _needed(self, charge_point_id: str, version: OcppVersion, step: UpgradeStep) -> UpgradeStep:
        """`step`, or the first one after it that the charger needs (a certificate it holds, a root it trusts)."""
        if step is UpgradeStep.CERTIFICATE and self._holds_certificate(charge_point_id):
            step = UpgradeStep.ROOT
        if step is UpgradeStep.ROOT and self._trusts_root(charge_point_id, version):
            steps = _STEPS[version]
            step = steps[steps.index(UpgradeStep.ROOT) + 1]
        return step

    def _holds_certificate(self, charge_point_id: str) -> bool:
        records = self._certificates.list_for_charge_point(charge_point_id)
        return any(record.status is CertificateStatus.ACTIVE for record in records)

    def _trusts_root(self, charge_point_id: str, version: OcppVersion) -> bool:
        root = hash_data_of(self._certificates.root_pem())
        return any(
            installed.certificate_type == ROOT_CERTIFICATE_TYPES[version] and installed.hash_data.same_certificate(root)
            for installed in self._installed.installed(charge_point_id).certificates
        )

    def _submission(
        self, charge_point_id: str, version: OcppVersion, upgrade: ProfileUpgrade
    ) -> Callable[[], Command] | None:
        """What sends the command of the upgrade's step (None: the step sends none)."""
        commands, step = self._commands, upgrade.step
        if step is UpgradeStep.CERTIFICATE:
            action, payload = RENEWAL_TRIGGERS[version]
            return lambda: commands.submit(charge_point_id, action, payload)
        if step is UpgradeStep.ROOT:
            root_type = ROOT_CERTIFICATE_TYPES[version]
            return lambda: self._installed.install(charge_point_id, root_type, self._certificates.root_pem())
        requests: dict[UpgradeStep, tuple[str, dict[str, Any]]] = {
            UpgradeStep.PRIORITY_READ: ("GetVariables", {"getVariableData": [_priority_variable()]}),
            UpgradeStep.CONFIGURATION: (
                "ChangeConfiguration",
                {"key": SECURITY_PROFILE_KEY, "value": str(upgrade.target)},
            ),
            UpgradeStep.RESET: ("Reset", {"type": "OnIdle" if version is OcppVersion.V201 else "Soft"}),
        }
        if step is UpgradeStep.NETWORK_PROFILE:
            requests[step] = ("SetNetworkProfile", _network_profile(upgrade))
        if step is UpgradeStep.PRIORITY:
            variable = {**_priority_variable(), "attributeValue": upgrade.network_priority}
            requests[step] = ("SetVariables", {"setVariableData": [variable]})
        if step not in requests:
            return None
        action, payload = requests[step]
        return lambda: commands.submit(charge_point_id, action, payload)

    def _fail(self, charge_point_id: str, upgrade: ProfileUpgrade, reason: str) -> ProfileUpgrade:
        now = self._clock.now()
        failed = replace(upgrade, status=UpgradeStatus.FAILED, reason=reason, updated_at=now)
        return self._upgrades.update(
            charge_point_id, _if_same(upgrade, lambda current: replace(failed, command_ids=current.command_ids))
        )


def _check(request: UpgradeRequest, current: int, version: OcppVersion, csms_url: str | None) -> None:
    if request.target != CERTIFICATE_PROFILE:
        raise InvalidValuesError(
            [f"target: only {CERTIFICATE_PROFILE} (going down a profile is PUT /api/chargers/{{id}} securityProfile)"]
        )
    if current >= request.target:
        raise InvalidValuesError([f"target: the charger is at security profile {current} already"])
    if version is OcppVersion.V201 and not (csms_url or "").startswith("wss://"):
        raise InvalidValuesError(["csmsUrl: a wss:// URL is needed for a 2.0.1 charger (none is configured)"])


def _if_same(
    upgrade: ProfileUpgrade, change: Callable[[ProfileUpgrade], ProfileUpgrade]
) -> Callable[[ProfileUpgrade], ProfileUpgrade]:
    """`change`, applied only while the stored upgrade is `upgrade`'s and running."""
    return lambda current: (
        change(current)
        if current.upgrade_id == upgrade.upgrade_id and current.status is UpgradeStatus.RUNNING
        else current
    )


def _status(command: Command, response: dict[str, Any]) -> str:
    """The answer's status (SetVariables: the priority's attribute status)."""
    if command.action == "SetVariables":
        results = [r for r in response.get("setVariableResult", []) if _names_priority(r)]
        return str(results[0].get("attributeStatus")) if results else "nothing"
    return str(response.get("status"))


def _refusal(command: Command, status: str, response: dict[str, Any]) -> str:
    """Why the upgrade failed: the action, the status and the charger's reason code if it gave one."""
    info = response.get("statusInfo") or next(
        (r.get("attributeStatusInfo") for r in response.get("setVariableResult", []) if _names_priority(r)), None
    )
    reason = (info or {}).get("reasonCode")
    return f"{command.action} answered {status}" + (f" ({reason})" if reason else "")


def _priority_variable() -> dict[str, Any]:
    return {"component": {"name": COMM_CONTROLLER}, "variable": {"name": NETWORK_PRIORITY}}


def _names_priority(data: dict[str, Any]) -> bool:
    return (
        data.get("component", {}).get("name") == COMM_CONTROLLER
        and data.get("variable", {}).get("name") == NETWORK_PRIORITY
    )


def _priority(slot: int, slots: list[int]) -> str:
    """The new slot first, the others after it in their order (the charger falls back to them)."""
    return ",".join(str(s) for s in [slot, *(other for other in slots if other != slot)])


def _network_profile(upgrade: ProfileUpgrade) -> dict[str, Any]:
    return {
        "configurationSlot": upgrade.configuration_slot,
        "connectionData": {
            "ocppVersion": "OCPP20",
            "ocppTransport": "JSON",
            "ocppCsmsUrl": upgrade.csms_url,
            "messageTimeout": MESSAGE_TIMEOUT_SECONDS,
            "securityProfile": upgrade.target,
            "ocppInterface": upgrade.ocpp_interface,
        },
    }
