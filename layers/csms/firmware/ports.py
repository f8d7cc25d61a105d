"""Where firmware images are registered. Small on purpose: the image file itself is in the FileStore."""

from typing import Protocol

from csms.domain.pagination import Page
from csms.firmware.models import FirmwareImage


class FirmwareRepository(Protocol):
    def put(self, image: FirmwareImage) -> None:
        """Store a new image (its id is new)."""

    def get(self, firmware_id: str) -> FirmwareImage | None: ...

    def page(self, limit: int, next_token: str | None = None) -> Page[FirmwareImage]:
        """Newest first; raises `InvalidPageTokenError` for a token no listing returned."""
