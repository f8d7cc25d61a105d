"""2.0.1 local firmware distribution: a local controller is asked to download a registered image and serve it to the
stations behind it (PublishFirmware, followed to Published or a failure by `csms.commands.follow_ups`), or to stop
serving it (UnpublishFirmware, whose answer is the outcome). Both name the image by its MD5, as OCPP does."""

import secrets
from datetime import timedelta

from csms.commands.errors import UnknownChargePointError
from csms.commands.models import Command
from csms.commands.service import CommandService
from csms.domain.file_store import FileStore
from csms.domain.ports import ChargePointRepository
from csms.domain.violations import InvalidValuesError
from csms.firmware.models import FirmwareImage
from csms.firmware.registry import FirmwareRegistry
from csms.wire.versions import OcppVersion

PUBLISH_FIRMWARE = "PublishFirmware"
UNPUBLISH_FIRMWARE = "UnpublishFirmware"
# PublishFirmwareRequest `location`'s maxLength in the 2.0.1 schema.
LOCATION_MAX_LENGTH = 512


class FirmwareNotUploadedError(Exception):
    """The image's file is not in the store yet, or its MD5 is not known (a file not stored by one PUT)."""


class NotLocalControllerError(InvalidValuesError):
    """Only OCPP 2.0.1 has local firmware distribution: the charger speaks another version."""

    def __init__(self, charge_point_id: str, version: OcppVersion) -> None:
        super().__init__(
            [
                f"chargerId: {charge_point_id} speaks OCPP {version.value}; local firmware distribution "
                "(PublishFirmware) is OCPP 2.0.1"
            ]
        )


class FirmwarePublishing:
    def __init__(
        self,
        registry: FirmwareRegistry,
        charge_points: ChargePointRepository,
        commands: CommandService,
        files: FileStore,
        download_validity: timedelta,
    ) -> None:
        self._registry = registry
        self._charge_points = charge_points
        self._commands = commands
        self._files = files
        self._download_validity = download_validity  # as long as the follow-up waits for Published

    def publish(
        self, firmware_id: str, charge_point_id: str, retries: int | None = None, retry_interval: int | None = None
    ) -> Command:
        """PublishFirmware with a download URL of the image, its MD5 and a new requestId; `retries` and
        `retry_interval` (seconds) as OCPP has them. Raises what `checksum` raises and what
        `CommandService.submit` raises."""
        image, checksum = self._checksum(firmware_id, charge_point_id)
        payload: dict[str, object] = {
            "location": self._files.download_url(image.key, self._download_validity, max_length=LOCATION_MAX_LENGTH),
            "checksum": checksum,
            "requestId": secrets.randbelow(2**31 - 1) + 1,
        }
        if retries is not None:
            payload["retries"] = retries
        if retry_interval is not None:
            payload["retryInterval"] = retry_interval
        return self._commands.submit(charge_point_id, PUBLISH_FIRMWARE, payload)

    def unpublish(self, firmware_id: str, charge_point_id: str) -> Command:
        """UnpublishFirmware of the image's MD5. Raises what `checksum` raises and what `CommandService.submit`
        raises."""
        _, checksum = self._checksum(firmware_id, charge_point_id)
        return self._commands.submit(charge_point_id, UNPUBLISH_FIRMWARE, {"checksum": checksum})

    def _checksum(self, firmware_id: str, charge_point_id: str) -> tuple[FirmwareImage, str]:
        """The image and its MD5, once the charger is known to be able to take it. Raises `UnknownFirmwareError`,
        `UnknownChargePointError`, `NotLocalControllerError`, `FirmwareNotUploadedError`."""
        described = self._registry.get(firmware_id)
        charge_point = self._charge_points.get(charge_point_id)
        if charge_point is None:
            raise UnknownChargePointError(charge_point_id)
        version = charge_point.ocpp_version
        if version is not None and version is not OcppVersion.V201:  # None: `submit` says it never connected
            raise NotLocalControllerError(charge_point_id, version)
        if described.uploaded is None or described.uploaded.md5 is None:
            raise FirmwareNotUploadedError(firmware_id)
        return described.image, described.uploaded.md5
