"""Firmware images: every field kept, read by id, listed newest first and paged, apart from the campaigns stored
beside them (in DynamoDB, the Campaigns table)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from csms.campaigns.ports import CampaignRepository
from csms.composition import Repositories
from csms.firmware.models import FirmwareImage
from csms.firmware.ports import FirmwareRepository

AT = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


@pytest.fixture
def firmware(repositories: Repositories) -> FirmwareRepository:
    return repositories.firmware


@pytest.fixture
def campaign_records(repositories: Repositories) -> CampaignRepository:
    return repositories.campaigns


def image(firmware_id: str, minutes: int = 0, **fields: object) -> FirmwareImage:
    made = FirmwareImage(firmware_id, "ACME", "Wallbox-2", "2.4.1", AT + timedelta(minutes=minutes))
    return replace(made, **fields)  # type: ignore[arg-type]


def test_every_field_is_kept(firmware: FirmwareRepository) -> None:
    signed = image("fw-1", signing_certificate=PEM, signature="c2lnbmF0dXJl")
    firmware.put(signed)
    firmware.put(image("fw-2", minutes=1))

    assert firmware.get("fw-1") == signed
    assert firmware.get("fw-2") == image("fw-2", minutes=1)
    assert firmware.get("fw-3") is None


def test_images_are_listed_newest_first_and_paged(
    firmware: FirmwareRepository, campaign_records: CampaignRepository
) -> None:
    for index in range(5):
        firmware.put(image(f"fw-{index}", minutes=index))

    first = firmware.page(3)
    second = firmware.page(3, first.next_token)

    assert [i.firmware_id for i in first.items + second.items] == ["fw-4", "fw-3", "fw-2", "fw-1", "fw-0"]
    assert second.next_token is None
    assert campaign_records.page(10).items == []  # images are no campaigns
