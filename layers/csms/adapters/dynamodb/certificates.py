"""The CA's certificates in DynamoDB: one item per issued certificate (by serial), one per signing key's root."""

from datetime import datetime
from typing import Any

from boto3.dynamodb.conditions import Key

from csms.adapters.dynamodb.codec import encode, item, query_all, timestamp
from csms.pki.models import CaCertificate, CertificateRecord, CertificateStatus
from csms.tables import (
    CERTIFICATES_BY_CHARGE_POINT_INDEX,
    CERTIFICATES_BY_FINGERPRINT_INDEX,
    CERTIFICATES_BY_STATUS_INDEX,
)
from csms.timeutil import parse_timestamp

_CA_PREFIX = "CA#"


class DynamoDbCertificateRepository:
    def __init__(self, table: Any) -> None:
        self._table = table

    @property
    def _condition_failed(self) -> type[Exception]:
        exception: type[Exception] = self._table.meta.client.exceptions.ConditionalCheckFailedException
        return exception

    def ca_certificate(self, key_id: str) -> CaCertificate | None:
        entry = self._table.get_item(Key={"serial": _CA_PREFIX + key_id}, ConsistentRead=True).get("Item")
        return CaCertificate(key_id, entry["pem"], parse_timestamp(entry["createdAt"])) if entry else None

    def add_ca_certificate(self, ca: CaCertificate) -> CaCertificate:
        try:
            self._table.put_item(
                Item=item(serial=_CA_PREFIX + ca.key_id, pem=ca.pem, createdAt=ca.created_at),
                ConditionExpression="attribute_not_exists(serial)",
            )
        except self._condition_failed:
            kept = self.ca_certificate(ca.key_id)
            if kept is None:
                raise
            return kept
        return ca

    def add(self, record: CertificateRecord) -> None:
        self._table.put_item(Item=_item(record), ConditionExpression="attribute_not_exists(serial)")

    def get(self, serial: str) -> CertificateRecord | None:
        entry = self._table.get_item(Key={"serial": serial}).get("Item")
        return _record(entry) if entry and not serial.startswith(_CA_PREFIX) else None

    def find_by_fingerprint(self, sha256_fingerprint: str) -> CertificateRecord | None:
        keys = self._table.query(
            IndexName=CERTIFICATES_BY_FINGERPRINT_INDEX,
            KeyConditionExpression=Key("sha256Fingerprint").eq(sha256_fingerprint),
        )["Items"]
        return self.get(keys[0]["serial"]) if keys else None

    def list_for_charge_point(self, charge_point_id: str) -> list[CertificateRecord]:
        entries = query_all(
            self._table,
            IndexName=CERTIFICATES_BY_CHARGE_POINT_INDEX,
            KeyConditionExpression=Key("chargePointId").eq(charge_point_id),
            ScanIndexForward=False,
        )
        return [_record(entry) for entry in entries]

    def list_active_expiring_before(self, moment: datetime) -> list[CertificateRecord]:
        entries = query_all(
            self._table,
            IndexName=CERTIFICATES_BY_STATUS_INDEX,
            KeyConditionExpression=Key("status").eq(CertificateStatus.ACTIVE.value)
            & Key("notAfter").lt(encode(moment)),
        )
        return [_record(entry) for entry in entries]

    def set_status(
        self, serial: str, status: CertificateStatus, only_if: CertificateStatus | None = None
    ) -> CertificateRecord | None:
        condition = "attribute_exists(serial) AND NOT begins_with(serial, :ca)"
        values: dict[str, Any] = {":status": status.value, ":ca": _CA_PREFIX}
        if only_if is not None:
            condition += " AND #status = :only_if"
            values[":only_if"] = only_if.value
        try:
            response = self._table.update_item(
                Key={"serial": serial},
                UpdateExpression="SET #status = :status",
                ConditionExpression=condition,
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=values,
                ReturnValues="ALL_NEW",
            )
        except self._condition_failed:
            return None
        return _record(response["Attributes"])

    def claim_renewal(self, serial: str, at: datetime, not_since: datetime) -> bool:
        try:
            self._table.update_item(
                Key={"serial": serial},
                UpdateExpression="SET renewalRequestedAt = :at",
                ConditionExpression="attribute_exists(serial) AND "
                "(attribute_not_exists(renewalRequestedAt) OR renewalRequestedAt < :since)",
                ExpressionAttributeValues={":at": encode(at), ":since": encode(not_since)},
            )
        except self._condition_failed:
            return False
        return True


def _item(record: CertificateRecord) -> dict[str, Any]:
    return item(
        serial=record.serial,
        chargePointId=record.charge_point_id,
        subject=record.subject,
        issuer=record.issuer,
        notBefore=record.not_before,
        notAfter=record.not_after,
        sha256Fingerprint=record.sha256_fingerprint,
        status=record.status.value,
        pem=record.pem,
        renewalRequestedAt=record.renewal_requested_at,
    )


def _record(entry: dict[str, Any]) -> CertificateRecord:
    return CertificateRecord(
        serial=entry["serial"],
        charge_point_id=entry["chargePointId"],
        subject=entry["subject"],
        issuer=entry["issuer"],
        not_before=parse_timestamp(entry["notBefore"]),
        not_after=parse_timestamp(entry["notAfter"]),
        sha256_fingerprint=entry["sha256Fingerprint"],
        status=CertificateStatus(entry["status"]),
        pem=entry["pem"],
        renewal_requested_at=timestamp(entry.get("renewalRequestedAt")),
    )
