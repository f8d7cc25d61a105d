"""Firmware images in DynamoDB: items of the Campaigns table (`csms.tables.CAMPAIGNS`), each in a partition of its
own (`campaignId` "FIRMWARE#<id>", `itemKey` "FIRMWARE") listed newest first by the `byCreation` index under
`listing` "FIRMWARE". A few images a year do not call for a table (its stack, grants and local runtime), and the
functions that read them (the operator API, the campaign worker) already have this one."""

from typing import Any

from boto3.dynamodb.conditions import Attr, Key

from csms.adapters.dynamodb.codec import item, timestamp
from csms.adapters.dynamodb.paging import read_page
from csms.domain.pagination import Page
from csms.firmware.models import FirmwareImage
from csms.tables import CAMPAIGNS, CAMPAIGNS_BY_CREATION_INDEX

_FIRMWARE = "FIRMWARE"


def _key(firmware_id: str) -> dict[str, str]:
    return {"campaignId": f"{_FIRMWARE}#{firmware_id}", "itemKey": _FIRMWARE}


class DynamoDbFirmwareRepository:
    def __init__(self, table: Any) -> None:
        self._table = table

    def put(self, image: FirmwareImage) -> None:
        self._table.put_item(
            Item=item(
                **_key(image.firmware_id),
                listing=_FIRMWARE,
                firmwareId=image.firmware_id,
                vendor=image.vendor,
                model=image.model,
                version=image.version,
                createdAt=image.created_at,
                signingCertificate=image.signing_certificate,
                signature=image.signature,
            ),
            ConditionExpression=Attr("campaignId").not_exists(),
        )

    def get(self, firmware_id: str) -> FirmwareImage | None:
        entry = self._table.get_item(Key=_key(firmware_id), ConsistentRead=True).get("Item")
        return _image(entry) if entry else None

    def page(self, limit: int, next_token: str | None = None) -> Page[FirmwareImage]:
        page = read_page(
            self._table.query,
            CAMPAIGNS,
            limit,
            next_token,
            IndexName=CAMPAIGNS_BY_CREATION_INDEX,
            KeyConditionExpression=Key("listing").eq(_FIRMWARE),
            ScanIndexForward=False,
        )
        return Page([_image(entry) for entry in page.items], page.next_token)


def _image(entry: dict[str, Any]) -> FirmwareImage:
    created_at = timestamp(entry["createdAt"])
    assert created_at is not None
    return FirmwareImage(
        firmware_id=entry["firmwareId"],
        vendor=entry["vendor"],
        model=entry["model"],
        version=entry["version"],
        created_at=created_at,
        signing_certificate=entry.get("signingCertificate"),
        signature=entry.get("signature"),
    )
