"""The TxDefaultProfile a charger at a site holds: 0 A, so that a session starting before its TxProfile
arrives draws nothing until its first rebalance (a second or two) gives it its share.

Any positive default would have to be kept free for every idle connector of the site, wasting the
limit; at 0 A the invariant holds with nothing reserved. It is sent through the command workflow when
a charger at a site boots, when it joins a site, and when it reconnects to one without holding it;
a charger that leaves its site is sent ClearChargingProfile of it. Relative, one period from the
start and no validity: it holds from the moment the charger accepts it, whatever its clock says.
"""

from collections.abc import Callable
from enum import Enum
from typing import Any

from csms.commands.errors import NOT_SUBMITTED
from csms.commands.service import CommandService
from csms.domain.models import ChargePoint
from csms.domain.ports import InstalledProfileRepository
from csms.domain_events.stored_changes import ProfileChange, StoredChange
from csms.observability import logger
from csms.rebalancing.tx_profiles import SET_CHARGING_PROFILE, STACK_LEVEL, TX_PROFILE_ID_BASE
from csms.wire.versions import OcppVersion

CLEAR_CHARGING_PROFILE = "ClearChargingProfile"
# The one id the CSMS owns for it, just below the TxProfiles' (TX_PROFILE_ID_BASE + connector or EVSE).
SITE_DEFAULT_PROFILE_ID = TX_PROFILE_ID_BASE - 1
WHOLE_CHARGE_POINT = 0  # 1.6 connector 0, 2.0.1 EVSE 0: every connector or EVSE of the charger


class DefaultProfileAction(Enum):
    SET = SET_CHARGING_PROFILE
    CLEAR = CLEAR_CHARGING_PROFILE


def default_profile_request(version: OcppVersion) -> dict[str, Any]:
    """SetChargingProfile of the site's TxDefaultProfile on the whole charger, at 0 A."""
    period = {"startPeriod": 0, "limit": 0.0}
    profile: dict[str, Any] = {
        "stackLevel": STACK_LEVEL,
        "chargingProfilePurpose": "TxDefaultProfile",
        "chargingProfileKind": "Relative",
    }
    if version is OcppVersion.V16:
        profile |= {
            "chargingProfileId": SITE_DEFAULT_PROFILE_ID,
            "chargingSchedule": {"chargingRateUnit": "A", "chargingSchedulePeriod": [period]},
        }
        return {"connectorId": WHOLE_CHARGE_POINT, "csChargingProfiles": profile}
    schedule = {"id": 1, "chargingRateUnit": "A", "chargingSchedulePeriod": [period]}
    profile |= {"id": SITE_DEFAULT_PROFILE_ID, "chargingSchedule": [schedule]}
    return {"evseId": WHOLE_CHARGE_POINT, "chargingProfile": profile}


def clear_default_profile_request(version: OcppVersion) -> dict[str, Any]:
    """ClearChargingProfile of the site's TxDefaultProfile, by its id."""
    if version is OcppVersion.V16:
        return {"id": SITE_DEFAULT_PROFILE_ID}
    return {"chargingProfileId": SITE_DEFAULT_PROFILE_ID}


def default_profile_action(
    before: ChargePoint | None, after: ChargePoint | None, holds_it: Callable[[], bool]
) -> DefaultProfileAction | None:
    """What a change of a charger's record calls for. `holds_it`: whether its installed profiles include the
    default (asked only of a charger that reconnected without booting)."""
    if after is None:
        return None  # removed: nobody to send anything to
    site, previous_site = after.wiring.site_id, before.wiring.site_id if before is not None else None
    if site is None:
        return DefaultProfileAction.CLEAR if previous_site is not None else None
    booted = after.last_boot is not None and (before is None or before.last_boot != after.last_boot)
    reconnected = after.connected and (before is None or not before.connected)
    if site != previous_site or booted or (reconnected and not holds_it()):
        return DefaultProfileAction.SET
    return None


class SiteDefaultProfiles:
    """Sends chargers the site's TxDefaultProfile (or its clearing) as their stored records change."""

    def __init__(self, commands: CommandService, installed: InstalledProfileRepository) -> None:
        self._commands = commands
        self._installed = installed

    def changed(self, change: StoredChange) -> str | None:
        """The command sent for `change`, if any."""
        if not isinstance(change, ProfileChange) or change.after is None:
            return None
        charge_point = change.after
        action = default_profile_action(change.before, charge_point, lambda: self._holds_it(charge_point))
        if action is None or charge_point.ocpp_version is None:
            return None
        version = charge_point.ocpp_version
        payload = (
            default_profile_request(version)
            if action is DefaultProfileAction.SET
            else clear_default_profile_request(version)
        )
        try:
            command = self._commands.submit(charge_point.charge_point_id, action.value, payload)
        except NOT_SUBMITTED:
            logger.warning(
                "Site TxDefaultProfile not sent",
                extra={"charge_point_id": charge_point.charge_point_id, "action": action.value},
            )
            return None
        logger.info(
            "Site TxDefaultProfile sent",
            extra={"charge_point_id": charge_point.charge_point_id, "action": action.value},
        )
        return command.command_id

    def _holds_it(self, charge_point: ChargePoint) -> bool:
        installed = self._installed.get(charge_point.charge_point_id)
        return any(profile.profile_id == SITE_DEFAULT_PROFILE_ID for profile in installed.profiles)
