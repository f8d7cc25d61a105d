"""Firmware campaigns: which chargers an image is for, what each is sent, and when it counts as done.

What a charger is sent (`FirmwareUpdates.requests`), through the command workflow:
- 2.0.1: UpdateFirmware with `requestId`, `firmware.location` (a download URL of the image), `retrieveDateTime`
  (now), `installDateTime` (the operation's `installAt`) and, for a signed image, `signingCertificate`/`signature`.
- 1.6, signed image, to a charger that has the security extension (it reported the extension's `SecurityProfile`
  key: `csms.domain.security_extension`): SignedUpdateFirmware (its schema requires the certificate and the
  signature, so an unsigned image cannot go this way).
- 1.6 otherwise: UpdateFirmware (`location`, `retrieveDate`), core to every 1.6 charger; a charger without the
  extension cannot check a signature, so it installs a signed image as it installs any other.
A charger whose reported vendor or model is not the image's is skipped, with the reason.

When it is done (`FirmwareUpdates.verdict`): the command's follow-up (`csms.commands.follow_ups`) ends at the
final FirmwareStatusNotification (Installed or a failure status) or gives up at the firmware timeout. A charger
succeeds only once it reported Installed and booted, after the command went out, with the image's version: a
2.0.1 station reboots before it reports Installed (InstallRebooting), a 1.6 charger usually after, and either
order counts. A boot with another version after the update's reboot (InstallRebooting or Installed reported) fails
it, as does no such boot by the end of the firmware timeout; a failure status fails it with that status.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from csms.campaigns.command_outcomes import awaited, refusal
from csms.campaigns.models import ChargerState, Verdict
from csms.commands.models import Command, CommandStatus
from csms.commands.shortcuts import CommandRequest
from csms.domain.file_store import FileStore
from csms.domain.models import ChargePoint
from csms.domain.notifications import FIRMWARE_FAILURES, NotificationKind
from csms.domain.ports import ChargePointRepository, Clock, ConfigurationRepository
from csms.domain.security_extension import has_security_extension
from csms.domain.violations import InvalidValuesError
from csms.firmware.models import FirmwareImage
from csms.firmware.ports import FirmwareRepository
from csms.timeutil import format_timestamp, parse_timestamp
from csms.wire.versions import OcppVersion

UPDATE_FIRMWARE = "UpdateFirmware"
SIGNED_UPDATE_FIRMWARE = "SignedUpdateFirmware"
# 2.0.1 UpdateFirmware and 1.6 SignedUpdateFirmware `firmware.location` (1.6 UpdateFirmware's is any URI).
LOCATION_MAX_LENGTH = 512
# A charger may start (or retry) its download late in the update: the URL outlives the firmware timeout by this.
URL_MARGIN = timedelta(minutes=15)
# Statuses a charger reports before the reboot that runs the new image.
_REBOOT_MARKERS = frozenset({"InstallRebooting", "Installed"})


@dataclass(frozen=True)
class FirmwareUpdate:
    """A firmware campaign's operation: the image, and when chargers should install it (None: once downloaded)."""

    image: FirmwareImage
    install_at: datetime | None = None


class NotForChargerError(Exception):
    """The image is not for this charger (the reason it is skipped)."""


def parse_firmware(raw: dict[str, Any], images: FirmwareRepository) -> FirmwareUpdate:
    """`{"kind": "firmware", "firmwareId", "installAt"?}`; `InvalidValuesError` with every reason."""
    reasons = []
    firmware_id, install_at = raw.get("firmwareId"), raw.get("installAt")
    unknown = sorted(set(raw) - {"kind", "firmwareId", "installAt"})
    if unknown:
        reasons.append(f"operation: {', '.join(unknown)} not taken by a firmware operation")
    image = images.get(firmware_id) if isinstance(firmware_id, str) and firmware_id else None
    if image is None:
        reasons.append(f"operation.firmwareId: no firmware image {firmware_id!r} (register it with POST /api/firmware)")
    when = None
    if install_at is not None:
        when = _instant(install_at)
        if when is None:
            reasons.append("operation.installAt: an RFC 3339 date and time with an offset")
    if reasons:
        raise InvalidValuesError(reasons)
    assert image is not None
    return FirmwareUpdate(image, when)


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = parse_timestamp(value)
    except ValueError:
        return None
    return parsed if datetime.fromisoformat(value).tzinfo else None


class FirmwareUpdates:
    def __init__(
        self,
        files: FileStore,
        charge_points: ChargePointRepository,
        configuration: ConfigurationRepository,
        clock: Clock,
        timeout: timedelta,
    ) -> None:
        """`timeout`: the firmware update's (`firmware_update_timeout_seconds`), which the command's follow-up has."""
        self._files = files
        self._charge_points = charge_points
        self._configuration = configuration
        self._clock = clock
        self._timeout = timeout

    def requests(self, update: FirmwareUpdate, charge_point: ChargePoint) -> list[CommandRequest]:
        """What the charger is sent; `NotForChargerError` when the image is of another vendor or model."""
        image = update.image
        if (charge_point.vendor, charge_point.model) != (image.vendor, image.model):
            raise NotForChargerError(
                f"it reported {charge_point.vendor} {charge_point.model}, the image is for {image.vendor} {image.model}"
            )
        assert charge_point.ocpp_version is not None
        now = format_timestamp(self._clock.now())
        install = {"installDateTime": format_timestamp(update.install_at)} if update.install_at else {}
        signature = (
            {"signingCertificate": image.signing_certificate, "signature": image.signature} if image.signed else {}
        )
        request_id = secrets.randbelow(2**31 - 1) + 1
        if charge_point.ocpp_version is OcppVersion.V16 and not (
            image.signed and has_security_extension(self._configuration.list(charge_point.charge_point_id))
        ):
            return [CommandRequest(UPDATE_FIRMWARE, {"location": self._location(image, None), "retrieveDate": now})]
        firmware = {"location": self._location(image, LOCATION_MAX_LENGTH), "retrieveDateTime": now}
        action = UPDATE_FIRMWARE if charge_point.ocpp_version is OcppVersion.V201 else SIGNED_UPDATE_FIRMWARE
        return [CommandRequest(action, {"requestId": request_id, "firmware": firmware | install | signature})]

    def _location(self, image: FirmwareImage, max_length: int | None) -> str:
        return self._files.download_url(image.key, self._timeout + URL_MARGIN, max_length=max_length)

    def verdict(self, update: FirmwareUpdate, command: Command | None) -> Verdict:
        """What the update the command carries came to (one command per charger)."""
        if command is None:
            return Verdict(ChargerState.FAILED, {"reasons": ["a command record is missing"]})
        if awaited(command):
            return Verdict(None)
        if command.status is CommandStatus.OFFLINE:
            return Verdict(None, offline=True)
        if command.status is not CommandStatus.ACCEPTED:
            return _failed(refusal(command))
        result = command.result or {}
        status = result.get("firmwareStatus")
        if not result.get("installed"):
            if status in FIRMWARE_FAILURES:
                return _failed(f"{command.action}: {status}", status)
            last = f" (last status {status})" if status else ""
            return _failed(f"{command.action}: no end within {self._seconds} s{last}", status)
        return self._after_installed(update.image, command, status)

    def _after_installed(self, image: FirmwareImage, command: Command, status: str | None) -> Verdict:
        """Installed: done once it booted with the image's version."""
        assert command.sent_at is not None
        charge_point = self._charge_points.get(command.charge_point_id)
        booted_at = charge_point.last_boot if charge_point is not None else None
        if charge_point is not None and booted_at is not None and booted_at > command.sent_at:
            if charge_point.firmware_version == image.version:
                return Verdict(ChargerState.SUCCEEDED, {"firmwareStatus": status, "firmwareVersion": image.version})
            rebooted_at = self._reboot_marker(command)
            if rebooted_at is not None and booted_at > rebooted_at:
                version = charge_point.firmware_version
                return _failed(f"Installed, but it booted with version {version}, not {image.version}", status)
        if self._clock.now() >= command.sent_at + self._timeout:
            return _failed(
                f"Installed, but it did not boot with version {image.version} within {self._seconds} s", status
            )
        return Verdict(None)

    def _reboot_marker(self, command: Command) -> datetime | None:
        """When the charger reported it reboots into the update (InstallRebooting) or installed it, for this
        command (2.0.1 and SignedUpdateFirmware statuses carry its requestId)."""
        assert command.sent_at is not None
        request_id = command.request.get("requestId")
        marks = [
            notification.received_at
            for notification in self._charge_points.list_notifications(
                command.charge_point_id, NotificationKind.FIRMWARE_STATUS, command.sent_at
            )
            if notification.details.get("status") in _REBOOT_MARKERS
            and (request_id is None or notification.details.get("requestId") in (None, request_id))
        ]
        return min(marks) if marks else None

    @property
    def _seconds(self) -> int:
        return int(self._timeout.total_seconds())


def _failed(reason: str, status: str | None = None) -> Verdict:
    return Verdict(ChargerState.FAILED, {"firmwareStatus": status, "reasons": [reason]})
