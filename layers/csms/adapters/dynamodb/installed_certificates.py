"""Installed certificates: one item per charge point in its partition of ChargePoints, changed by one
conditional write per change (`revisions.RevisionedItem`)."""

from collections.abc import Callable
from typing import Any

from csms.adapters.dynamodb.codec import item
from csms.adapters.dynamodb.revisions import RevisionedItem
from csms.pki.installed import CertificateHashData, HashAlgorithm, InstalledCertificate, InstalledCertificates
from csms.timeutil import parse_timestamp

# Sorts after "NOTIFICATION#" (and before "VARIABLE#"): the charge point repository's `get()` never reads it.
INSTALLED_CERTIFICATES = "TRUSTED_CERTIFICATES"


class DynamoDbInstalledCertificateRepository:
    def __init__(self, charge_points_table: Any) -> None:
        self._item = RevisionedItem(charge_points_table, _installed, _installed_item, InstalledCertificates())

    def get(self, charge_point_id: str) -> InstalledCertificates:
        return self._item.get(_key(charge_point_id))

    def update(
        self, charge_point_id: str, change: Callable[[InstalledCertificates], InstalledCertificates]
    ) -> InstalledCertificates:
        return self._item.update(_key(charge_point_id), change, f"the installed certificates of {charge_point_id}")


def _key(charge_point_id: str) -> dict[str, str]:
    return {"chargePointId": charge_point_id, "itemKey": INSTALLED_CERTIFICATES}


def _installed(stored: dict[str, Any]) -> InstalledCertificates:
    return InstalledCertificates(
        tuple(
            InstalledCertificate(
                certificate_type=entry["certificateType"],
                hash_data=CertificateHashData(
                    HashAlgorithm(entry["hashAlgorithm"]),
                    entry["issuerNameHash"],
                    entry["issuerKeyHash"],
                    entry["serialNumber"],
                ),
                learned_at=parse_timestamp(entry["learnedAt"]),
            )
            for entry in stored.get("certificates", [])
        )
    )


def _installed_item(installed: InstalledCertificates) -> dict[str, Any]:
    return {
        "certificates": [
            item(certificateType=certificate.certificate_type, learnedAt=certificate.learned_at)
            | certificate.hash_data.as_ocpp()
            for certificate in installed.certificates
        ]
    }
