"""What the operator API does with firmware images: register one (and hand out the URL its file is PUT to), read
them with what the store holds of each."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

from csms.domain.file_store import FileStore, StoredFile
from csms.domain.pagination import Page
from csms.domain.ports import Clock
from csms.firmware.models import FirmwareImage
from csms.firmware.ports import FirmwareRepository
from csms.firmware.rules import parse_image

# How long the operator has to start the image's upload (register it again for a new URL).
UPLOAD_URL_VALIDITY = timedelta(hours=1)


class UnknownFirmwareError(LookupError):
    pass


@dataclass(frozen=True)
class RegisteredImage:
    image: FirmwareImage
    upload_url: str  # HTTP PUT
    upload_expires_at: datetime


@dataclass(frozen=True)
class DescribedImage:
    image: FirmwareImage
    uploaded: StoredFile | None  # None until its file is in the store


class FirmwareRegistry:
    def __init__(self, images: FirmwareRepository, files: FileStore, clock: Clock) -> None:
        self._images = images
        self._files = files
        self._clock = clock

    def register(
        self, vendor: Any, model: Any, version: Any, signing_certificate: Any = None, signature: Any = None
    ) -> RegisteredImage:
        """Raises `InvalidValuesError` with every reason."""
        fields = parse_image(vendor, model, version, signing_certificate, signature)
        now = self._clock.now()
        image = FirmwareImage(
            firmware_id=uuid4().hex,
            vendor=fields.vendor,
            model=fields.model,
            version=fields.version,
            created_at=now,
            signing_certificate=fields.signing_certificate,
            signature=fields.signature,
        )
        self._images.put(image)
        return RegisteredImage(image, self._files.upload_url(image.key, UPLOAD_URL_VALIDITY), now + UPLOAD_URL_VALIDITY)

    def get(self, firmware_id: str) -> DescribedImage:
        """Raises `UnknownFirmwareError`."""
        image = self._images.get(firmware_id)
        if image is None:
            raise UnknownFirmwareError(firmware_id)
        return self._described(image)

    def page(self, limit: int, next_token: str | None = None) -> Page[DescribedImage]:
        """Newest first (one HeadObject per image listed); raises `InvalidPageTokenError`."""
        page = self._images.page(limit, next_token)
        return Page([self._described(image) for image in page.items], page.next_token)

    def _described(self, image: FirmwareImage) -> DescribedImage:
        return DescribedImage(image, self._files.describe(image.key))
