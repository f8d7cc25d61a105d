"""A charger's provisioning: one item in its partition of ChargePoints, changed by one conditional write per change
(`revisions.RevisionedItem`)."""

from typing import Any

from csms.adapters.dynamodb.codec import from_json_value, item, json_value
from csms.adapters.dynamodb.revisions import RevisionedItem
from csms.domain.configuration_settings import as_entries, parse_settings
from csms.domain.provisioning import ChargerProvisioning, ProvisioningChange, ProvisioningStatus
from csms.timeutil import parse_timestamp

# Sorts after "NOTIFICATION#" (and before "VARIABLE#"): the charge point repository's `get()` never reads it.
PROVISIONING = "PROVISIONING"


class DynamoDbProvisioningRepository:
    def __init__(self, charge_points_table: Any) -> None:
        self._item = RevisionedItem(charge_points_table, _provisioning, _provisioning_item, ChargerProvisioning())

    def get(self, charge_point_id: str) -> ChargerProvisioning:
        return self._item.get(_key(charge_point_id))

    def update(self, charge_point_id: str, change: ProvisioningChange) -> ChargerProvisioning:
        return self._item.update(_key(charge_point_id), change, f"the provisioning of {charge_point_id}")


def _key(charge_point_id: str) -> dict[str, str]:
    return {"chargePointId": charge_point_id, "itemKey": PROVISIONING}


def _provisioning(stored: dict[str, Any]) -> ChargerProvisioning:
    settings = stored.get("settings")
    return ChargerProvisioning(
        settings=parse_settings(from_json_value(settings)) if settings is not None else None,
        status=ProvisioningStatus(stored["status"]) if "status" in stored else None,
        digest=stored.get("digest"),
        reason=stored.get("reason"),
        outstanding=tuple(stored.get("outstanding", [])),
        reboot_required=bool(stored.get("rebootRequired", False)),
        updated_at=parse_timestamp(stored["updatedAt"]) if "updatedAt" in stored else None,
    )


def _provisioning_item(provisioning: ChargerProvisioning) -> dict[str, Any]:
    settings = provisioning.settings
    return item(
        settings=json_value(as_entries(settings)) if settings is not None else None,
        status=provisioning.status.value if provisioning.status is not None else None,
        digest=provisioning.digest,
        reason=provisioning.reason,
        outstanding=list(provisioning.outstanding),
        rebootRequired=provisioning.reboot_required,
        updatedAt=provisioning.updated_at,
    )
