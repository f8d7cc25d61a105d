"""A charger's security profile upgrade: one item in its partition of ChargePoints, changed by one conditional write
per change (`revisions.RevisionedItem`)."""

from typing import Any

from csms.adapters.dynamodb.codec import integer, item, timestamp
from csms.adapters.dynamodb.revisions import RevisionedItem
from csms.pki.profile_upgrades import (
    ProfileUpgrade,
    ProfileUpgradeChange,
    UpgradeStatus,
    UpgradeStep,
)

# Sorts after "NOTIFICATION#" (and before "VARIABLE#"): the charge point repository's `get()` never reads it.
SECURITY_PROFILE_UPGRADE = "SECURITY_PROFILE_UPGRADE"


class DynamoDbProfileUpgradeRepository:
    def __init__(self, charge_points_table: Any) -> None:
        self._item = RevisionedItem(charge_points_table, _upgrade, _upgrade_item, ProfileUpgrade())

    def get(self, charge_point_id: str) -> ProfileUpgrade:
        return self._item.get(_key(charge_point_id))

    def update(self, charge_point_id: str, change: ProfileUpgradeChange) -> ProfileUpgrade:
        return self._item.update(_key(charge_point_id), change, f"the security profile upgrade of {charge_point_id}")


def _key(charge_point_id: str) -> dict[str, str]:
    return {"chargePointId": charge_point_id, "itemKey": SECURITY_PROFILE_UPGRADE}


def _upgrade(stored: dict[str, Any]) -> ProfileUpgrade:
    return ProfileUpgrade(
        upgrade_id=stored["upgradeId"],
        target=int(stored["target"]),
        status=UpgradeStatus(stored["status"]),
        step=UpgradeStep(stored["step"]),
        command_ids=tuple(stored.get("commandIds", [])),
        csms_url=stored.get("csmsUrl"),
        ocpp_interface=stored.get("ocppInterface"),
        configuration_slot=integer(stored.get("configurationSlot")),
        network_priority=stored.get("networkPriority"),
        reason=stored.get("reason"),
        started_at=timestamp(stored.get("startedAt")),
        updated_at=timestamp(stored.get("updatedAt")),
    )


def _upgrade_item(upgrade: ProfileUpgrade) -> dict[str, Any]:
    return item(
        upgradeId=upgrade.upgrade_id,
        target=upgrade.target,
        status=upgrade.status.value,
        step=upgrade.step.value,
        commandIds=list(upgrade.command_ids),
        csmsUrl=upgrade.csms_url,
        ocppInterface=upgrade.ocpp_interface,
        configurationSlot=upgrade.configuration_slot,
        networkPriority=upgrade.network_priority,
        reason=upgrade.reason,
        startedAt=upgrade.started_at,
        updatedAt=upgrade.updated_at,
    )
