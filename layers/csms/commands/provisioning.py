"""Provisioning at first boot: a charger with a profile not yet applied is answered Pending and set up first.

At its BootNotification the CSMS answers Pending and sends the settings of its version through the command
workflow (1.6 one ChangeConfiguration per key, 2.0.1 one SetVariables: OCPP allows both while Pending, 1.6
section 4.2 and 2.0.1 B02). When every setting is taken it asks for a new BootNotification (TriggerMessage), which
is answered Accepted; when one answered RebootRequired it restarts the charger instead (Reset: 1.6 Soft, 2.0.1
OnIdle), whose next BootNotification is Accepted and finds the settings in force. A refused setting leaves the
charger Pending with the reason (the profile must change); a command that failed (offline, no answer, CALLERROR)
is sent again at the next boot. A charger without a profile is Accepted as ever.
"""

import json
import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from csms.commands.errors import NOT_SUBMITTED
from csms.commands.models import Command, CommandError
from csms.commands.service import CommandService
from csms.commands.setting_requests import REBOOT_REQUIRED, setting_answers, setting_requests
from csms.commands.shortcuts import ResetType
from csms.domain.configuration_settings import Settings, for_version
from csms.domain.models import ChargePoint
from csms.domain.ports import ChargePointRepository, Clock, SiteRepository
from csms.domain.provisioning import ChargerProvisioning, ProvisioningRepository, ProvisioningStatus, digest
from csms.wire.versions import OcppVersion

logger = logging.getLogger(__name__)

# Settings on their way this long are taken as lost (a workflow that died): sent again at the next boot.
APPLYING_TIMEOUT = timedelta(minutes=15)


@dataclass(frozen=True)
class ProvisioningState:
    """What the operator sees: the profile in force, where it comes from, and how far the charger got."""

    settings: Settings
    source: str | None  # "charger", "site" or None (no profile)
    status: ProvisioningStatus | None
    reason: str | None
    updated_at: datetime | None


class Provisioning:
    def __init__(
        self,
        provisioning: ProvisioningRepository,
        charge_points: ChargePointRepository,
        sites: SiteRepository,
        commands: CommandService,
        clock: Clock,
    ) -> None:
        self._provisioning = provisioning
        self._charge_points = charge_points
        self._sites = sites
        self._commands = commands
        self._clock = clock

    def set_profile(self, charge_point_id: str, settings: Settings | None) -> None:
        """The charger's own profile (None: none, its site's default applies), applied at its next boot."""
        now = self._clock.now()
        # The marker says "read the profile at boot": set before a profile exists, cleared after it is gone.
        if settings is not None:
            self._charge_points.mark_provisioning_profile(charge_point_id, True)
        self._provisioning.update(
            charge_point_id,
            lambda current: replace(current, settings=settings, status=ProvisioningStatus.PENDING, updated_at=now),
        )
        if settings is None:
            self._charge_points.mark_provisioning_profile(charge_point_id, False)

    def state(self, charge_point_id: str) -> ProvisioningState:
        stored = self._provisioning.get(charge_point_id)
        charge_point = self._charge_points.get(charge_point_id)
        settings, source = self._profile(stored, charge_point.wiring.site_id if charge_point is not None else None)
        if not settings:
            return ProvisioningState((), None, None, None, None)
        version = charge_point.ocpp_version if charge_point is not None else None
        applies = for_version(settings, version) if version is not None else settings
        status = stored.status if stored.digest == digest(applies) else ProvisioningStatus.PENDING
        reason = stored.reason if status in (ProvisioningStatus.REJECTED, ProvisioningStatus.FAILED) else None
        return ProvisioningState(settings, source, status, reason, stored.updated_at)

    def booted(self, charge_point: ChargePoint, version: OcppVersion) -> bool:
        """Whether the charger's BootNotification is Accepted (else Pending: its settings are being applied).

        A charger with no profile of its own and no site is answered without a read (the usual boot)."""
        site_id = charge_point.wiring.site_id
        if not charge_point.provisioning_profile and site_id is None:
            return True
        charge_point_id = charge_point.charge_point_id
        stored = self._provisioning.get(charge_point_id)
        settings = for_version(self._profile(stored, site_id)[0], version)
        if not settings:
            return True
        name = digest(settings)
        if stored.digest == name:
            if stored.status is ProvisioningStatus.APPLIED:
                return True
            if stored.status is ProvisioningStatus.REJECTED:
                return False
            applying = stored.status is ProvisioningStatus.APPLYING
            if applying and stored.updated_at is not None and self._clock.now() - stored.updated_at < APPLYING_TIMEOUT:
                return False
        self._apply(charge_point_id, version, settings, name)
        return False

    def answered(self, command: Command, response: dict[str, Any]) -> None:
        """A ChangeConfiguration or SetVariables answer: a refused setting stops the provisioning, the last answer
        of all taken finishes it."""
        answers = setting_answers(command.action, command.request, response)
        refused = [answer for answer in answers if not answer.taken]
        now = self._clock.now()

        def recorded(current: ChargerProvisioning) -> ChargerProvisioning:
            if _fingerprint(command.request) not in current.outstanding:
                return current
            if refused:
                reason = "; ".join(f"{_name(answer.setting)}: {answer.status}" for answer in refused)
                return replace(
                    current, status=ProvisioningStatus.REJECTED, reason=reason, outstanding=(), updated_at=now
                )
            outstanding = tuple(other for other in current.outstanding if other != _fingerprint(command.request))
            reboot = current.reboot_required or any(answer.status == REBOOT_REQUIRED for answer in answers)
            status = ProvisioningStatus.APPLYING if outstanding else ProvisioningStatus.APPLIED
            return replace(current, status=status, outstanding=outstanding, reboot_required=reboot, updated_at=now)

        before = self._provisioning.get(command.charge_point_id)
        after = self._provisioning.update(command.charge_point_id, recorded)
        if after.status is ProvisioningStatus.APPLIED and before.status is not ProvisioningStatus.APPLIED:
            self._ask_for_boot(command.charge_point_id, after.reboot_required)

    def failed(self, command: Command, error: CommandError) -> None:
        """A setting command that failed: the settings are sent again at the next boot."""
        now = self._clock.now()
        reason = f"{command.action} {error.code}: {error.description}"

        def recorded(current: ChargerProvisioning) -> ChargerProvisioning:
            if _fingerprint(command.request) not in current.outstanding:
                return current
            return replace(current, status=ProvisioningStatus.FAILED, reason=reason, outstanding=(), updated_at=now)

        self._provisioning.update(command.charge_point_id, recorded)

    def _profile(self, stored: ChargerProvisioning, site_id: str | None) -> tuple[Settings, str | None]:
        if stored.settings is not None:
            return stored.settings, "charger"
        site = self._sites.get(site_id) if site_id is not None else None
        if site is None or not site.site.provisioning:
            return (), None
        return site.site.provisioning, "site"

    def _apply(self, charge_point_id: str, version: OcppVersion, settings: Settings, name: str) -> None:
        """Send the settings; the state names the requests to wait for before any answer can come."""
        requests = setting_requests(version, settings)
        now = self._clock.now()
        self._provisioning.update(
            charge_point_id,
            lambda current: replace(
                current,
                status=ProvisioningStatus.APPLYING,
                digest=name,
                reason=None,
                outstanding=tuple(_fingerprint(request.payload) for request in requests),
                reboot_required=False,
                updated_at=now,
            ),
        )
        try:
            for request in requests:
                self._commands.submit(charge_point_id, request.action, request.payload)
        except NOT_SUBMITTED as error:
            logger.warning("Provisioning %s: settings not sent: %s", charge_point_id, error)
            reason = f"not sent: {error}"
            self._provisioning.update(
                charge_point_id,
                lambda current: replace(
                    current, status=ProvisioningStatus.FAILED, reason=reason, outstanding=(), updated_at=now
                ),
            )

    def _ask_for_boot(self, charge_point_id: str, reboot: bool) -> None:
        """Every setting taken: a new BootNotification (TriggerMessage), or a restart when one needs it."""
        try:
            if reboot:
                self._commands.reset(charge_point_id, ResetType.SOFT)
            else:
                self._commands.submit(charge_point_id, "TriggerMessage", {"requestedMessage": "BootNotification"})
        except NOT_SUBMITTED as error:  # its next BootNotification, at the interval of its Pending answer, is Accepted
            logger.warning("Provisioning %s: no new boot asked for: %s", charge_point_id, error)


def _name(setting: Any) -> str:
    if setting.component is None:
        return str(setting.variable)
    return f"{setting.component}.{setting.variable}"


def _fingerprint(request: dict[str, Any]) -> str:
    """A setting command's request, as the state names the answers it waits for (known before it is submitted)."""
    return json.dumps(request, sort_keys=True, separators=(",", ":"))
