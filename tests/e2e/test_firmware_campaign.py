"""Firmware campaigns end to end on the embedded runtime (issue 13 section 5): an image registered through the API
and PUT to its upload URL (moto S3 at the front door), then rolled out over 12 real charge points of both versions
(the `ocpp` library's classes, which validate every call against the official schemas) with canary 1 and batch 4.
Each station downloads the image from the URL it is given (HTTP GET), reports its firmware statuses, reboots
(reconnects) and boots with the version the image holds: 2.0.1 reboots before reporting Installed, 1.6 after.
Three stations that fail the install halt the campaign at the threshold; a signed image over stations that all
install it completes, each charger then showing the new version: 2.0.1 UpdateFirmware with the signature, 1.6
SignedUpdateFirmware to the stations whose GetConfiguration reported the security extension's SecurityProfile key,
plain UpdateFirmware to the others."""

import asyncio
import contextlib
import re
import urllib.request
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from ocpp.routing import on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call as call16
from ocpp.v16 import call_result as result16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as result201

from csms import constants
from csms.local.runtime import LocalRuntime
from tests.e2e.charge_points import connected
from tests.e2e.conftest import OperatorApi, module_runtime
from tests.e2e.site_chargers import until
from tests.root_certificates import root_pem

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

runtime, api, _environment = module_runtime(
    {
        constants.ENV_COMMAND_TIMEOUT_SECONDS: "20",  # a loaded 2-core CI machine is slow to carry answers back
        constants.ENV_COMMAND_POLL_INTERVAL_SECONDS: "1",  # the follow-ups' and the campaign's rounds too
        constants.ENV_FIRMWARE_UPDATE_TIMEOUT_SECONDS: "90",
        "POWERTOOLS_METRICS_DISABLED": "true",
    }
)
OCPP16, OCPP201 = "ocpp1.6", "ocpp2.0.1"
VENDOR, MODEL, OLD = "ACME", "Wallbox-2", "1.0.0"
WAIT_SECONDS = 240


@dataclass
class Device:
    """What a station keeps across its reboots: the version it runs, whether its installs fail, what it did."""

    charger_id: str
    subprotocol: str
    fails: bool = False
    security_extension: bool = False  # 1.6: it has the security extension's SecurityProfile key
    version: str = OLD
    statuses: list[str] = field(default_factory=list)
    boots: list[str] = field(default_factory=list)  # the version of each BootNotification
    reboot: asyncio.Event = field(default_factory=asyncio.Event)
    installed_after_boot: int | None = None  # 2.0.1: the requestId whose Installed it reports once booted


def download(location: str) -> bytes:
    """HTTP GET, following redirects (a short file link answers 307)."""
    with urllib.request.urlopen(location, timeout=30) as response:  # noqa: S310 - the URL the CSMS gave
        return bytes(response.read())


def put(url: str, content: bytes) -> int:
    """HTTP PUT (not on the event loop, which serves the runtime too)."""
    request = urllib.request.Request(url, data=content, method="PUT")  # noqa: S310 - the local front door
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return int(response.status)


class Installing:
    """An install: download, statuses, the new version in force at the next boot (the image holds its version)."""

    device: Device
    tasks: set[asyncio.Task[None]]

    def attach(self, device: Device) -> None:
        self.device, self.tasks = device, set()

    def spawn(self, work: Any) -> None:
        task = asyncio.create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def report(self, status: str, request_id: int | None) -> None:
        raise NotImplementedError

    async def install(self, location: str, request_id: int | None, reboots_before_installed: bool) -> None:
        device = self.device
        await self.report("Downloading", request_id)
        try:
            image = await asyncio.to_thread(download, location)
        except OSError:
            await self.report("DownloadFailed", request_id)
            return
        await self.report("Downloaded", request_id)
        await self.report("Installing", request_id)
        if device.fails:
            await self.report("InstallationFailed", request_id)
            return
        device.version = image.decode()
        if reboots_before_installed:
            device.installed_after_boot = request_id
            await self.report("InstallRebooting", request_id)
        else:
            await self.report("Installed", request_id)
        device.reboot.set()


class Station16(ChargePoint16, Installing):  # type: ignore[misc]
    async def boot(self) -> None:
        await self.call(
            call16.BootNotification(
                charge_point_vendor=VENDOR, charge_point_model=MODEL, firmware_version=self.device.version
            )
        )

    async def report(self, status: str, request_id: int | None) -> None:
        self.device.statuses.append(status)
        if request_id is None:
            await self.call(call16.FirmwareStatusNotification(status=status))
        else:
            await self.call(call16.SignedFirmwareStatusNotification(status=status, request_id=request_id))

    @on("UpdateFirmware")
    async def on_update_firmware(self, location: str, retrieve_date: str, **_: Any) -> result16.UpdateFirmware:
        self.spawn(self.install(location, None, reboots_before_installed=False))
        return result16.UpdateFirmware()

    @on("GetConfiguration")
    async def on_get_configuration(self, key: list[str] | None = None) -> result16.GetConfiguration:
        known = [{"key": "SecurityProfile", "readonly": False, "value": "1"}] if self.device.security_extension else []
        unknown = [name for name in key or [] if not known or name != "SecurityProfile"]
        return result16.GetConfiguration(configuration_key=known or None, unknown_key=unknown or None)

    @on("SignedUpdateFirmware")
    async def on_signed_update(self, request_id: int, firmware: dict[str, Any], **_: Any) -> Any:
        assert firmware["signing_certificate"]
        assert firmware["signature"]
        self.spawn(self.install(firmware["location"], request_id, reboots_before_installed=False))
        return result16.SignedUpdateFirmware(status="Accepted")


class Station201(ChargePoint201, Installing):  # type: ignore[misc]
    async def boot(self) -> None:
        station = {"vendorName": VENDOR, "model": MODEL, "firmwareVersion": self.device.version}
        reason = "FirmwareUpdate" if self.device.installed_after_boot else "PowerUp"
        await self.call(call201.BootNotification(charging_station=station, reason=reason))

    async def report(self, status: str, request_id: int | None) -> None:
        self.device.statuses.append(status)
        await self.call(call201.FirmwareStatusNotification(status=status, request_id=request_id))

    @on("UpdateFirmware")
    async def on_update_firmware(self, request_id: int, firmware: dict[str, Any], **_: Any) -> Any:
        self.spawn(self.install(firmware["location"], request_id, reboots_before_installed=True))
        return result201.UpdateFirmware(status="Accepted")


async def live(runtime: LocalRuntime, device: Device) -> None:
    """The station: connect, boot (and after a 2.0.1 install report Installed), until asked to reboot; again."""

    def make(*args: Any, **kwargs: Any) -> Any:
        station = (Station16 if device.subprotocol == OCPP16 else Station201)(*args, **kwargs)
        station.attach(device)
        return station

    while True:
        async with connected(runtime, device.charger_id, device.subprotocol, charge_point_class=make) as station:
            await station.boot()
            device.boots.append(device.version)
            if device.installed_after_boot is not None:
                request_id, device.installed_after_boot = device.installed_after_boot, None
                await station.report("Installed", request_id)
            await device.reboot.wait()
            device.reboot.clear()
            await asyncio.gather(*station.tasks, return_exceptions=True)


@contextlib.asynccontextmanager
async def fleet(runtime: LocalRuntime, api: OperatorApi, devices: list[Device]) -> AsyncIterator[None]:
    for device in devices:
        await api.register_charger(device.charger_id)
    tasks = [asyncio.create_task(live(runtime, device)) for device in devices]
    try:
        await until(lambda: all(device.boots for device in devices), 30, lambda: [d.boots for d in devices])
        yield
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def register_image(api: OperatorApi, version: str, **secure: str) -> str:
    """Register an image and PUT its file (which holds its version, for the stations) to the upload URL."""
    response = await api.request("POST", "/firmware", {"vendor": VENDOR, "model": MODEL, "version": version, **secure})
    assert response.status == 201, response.body
    assert await asyncio.to_thread(put, response.body["uploadUrl"], version.encode()) == 200
    firmware_id = str(response.body["firmwareId"])
    shown = await api.request("GET", f"/firmware/{firmware_id}")
    assert shown.body["uploaded"]["size"] == len(version), shown.body
    return firmware_id


async def run_campaign(api: OperatorApi, ids: list[str], firmware_id: str, threshold: float) -> dict[str, Any]:
    body = {
        "name": "firmware",
        "target": {"chargerIds": ids},
        "operation": {"kind": "firmware", "firmwareId": firmware_id},
        "rollout": {"canary": 1, "batchSize": 4, "failureThreshold": threshold},
    }
    response = await api.request("POST", "/campaigns", body)
    assert response.status == 202, response.body
    campaign_id = response.body["campaignId"]
    shown: dict[str, Any] = {}

    async def over() -> bool:
        shown.update((await api.request("GET", f"/campaigns/{campaign_id}")).body)
        return shown["status"] in ("Completed", "Halted", "Cancelled") and shown["counts"]["running"] == 0

    await until(over, WAIT_SECONDS, lambda: shown)
    return shown


def devices(prefix: str, failing: frozenset[int] = frozenset()) -> list[Device]:
    """Odd indexes 1.6 (1, 5 and 9 with the security extension), even ones 2.0.1."""
    return [
        Device(
            f"{prefix}-{index:02d}",
            OCPP16 if index % 2 else OCPP201,
            fails=index in failing,
            security_extension=index % 4 == 1,
        )
        for index in range(12)
    ]


async def ask_configuration(api: OperatorApi, device: Device) -> None:
    """GetConfiguration of the SecurityProfile key, until the CSMS holds the charger's answer."""
    body = {"action": "GetConfiguration", "payload": {"key": ["SecurityProfile"]}}
    response = await api.request("POST", f"/chargers/{device.charger_id}/commands", body)
    assert response.status == 202, response.body
    shown: dict[str, Any] = {}

    async def answered() -> bool:
        shown.update((await api.request("GET", f"/commands/{response.body['commandId']}")).body)
        return shown["status"] == "Accepted"

    await until(answered, 30, lambda: shown)


async def test_three_failed_installs_halt_the_campaign_at_the_threshold(
    runtime: LocalRuntime, api: OperatorApi
) -> None:
    stations = devices("FW-HALT", failing=frozenset({1, 2, 3}))  # three of the first batch after the canary
    firmware_id = await register_image(api, "2.0.0")
    async with fleet(runtime, api, stations):
        done = await run_campaign(api, [d.charger_id for d in stations], firmware_id, threshold=0.3)
        await asyncio.sleep(3)  # nothing more is sent once it halted
        after = (await api.request("GET", f"/campaigns/{done['campaignId']}")).body

    assert done["status"] == "Halted"
    # Halted by the first round that found the failed share past 30 %: depending on when that round ran, after
    # the first failure finished or after all five of the first batch did.
    reason = re.fullmatch(r"(\d+) of (\d+) finished chargers failed", done["reason"])
    assert reason is not None, done["reason"]
    failed, finished = int(reason[1]), int(reason[2])
    assert 1 <= failed <= 3
    assert failed / finished > 0.3
    assert done["counts"] == {"total": 12, "pending": 7, "running": 0, "succeeded": 2, "failed": 3, "skipped": 0}
    assert after["counts"] == done["counts"]
    chargers = {charger["chargerId"]: charger for charger in done["chargers"]}
    for index in (1, 2, 3):
        failed = chargers[f"FW-HALT-{index:02d}"]
        assert failed["state"] == "failed"
        assert failed["outcome"] == {
            "firmwareStatus": "InstallationFailed",
            "reasons": ["UpdateFirmware: InstallationFailed"],
        }
    for index in (0, 4):
        assert chargers[f"FW-HALT-{index:02d}"]["outcome"] == {
            "firmwareStatus": "Installed",
            "firmwareVersion": "2.0.0",
        }
    # Only the canary and the first batch were sent anything.
    assert [bool(device.statuses) for device in stations] == [True] * 5 + [False] * 7
    assert stations[4].boots == [OLD, "2.0.0"]


async def test_a_signed_image_installs_on_every_charger_and_each_reports_the_new_version(
    runtime: LocalRuntime, api: OperatorApi
) -> None:
    stations = devices("FW-OK")
    firmware_id = await register_image(
        api, "2.1.0", signingCertificate=root_pem("ACME firmware signing"), signature="c2lnbmF0dXJl"
    )
    async with fleet(runtime, api, stations):
        for device in stations:
            if device.subprotocol == OCPP16:
                await ask_configuration(api, device)
        done = await run_campaign(api, [d.charger_id for d in stations], firmware_id, threshold=0.1)

    assert (done["status"], done["batches"]) == ("Completed", 4)
    assert done["counts"] == {"total": 12, "pending": 0, "running": 0, "succeeded": 12, "failed": 0, "skipped": 0}
    for device in stations:
        shown = (await api.request("GET", f"/chargers/{device.charger_id}")).body
        assert shown["firmwareVersion"] == "2.1.0", shown
        if device.subprotocol == OCPP201:  # reboots before it reports Installed
            assert device.statuses[-2:] == ["InstallRebooting", "Installed"]
        else:  # installed, then reboots
            assert device.statuses[-1] == "Installed"
        assert device.boots == [OLD, "2.1.0"]
    actions = {
        charger["chargerId"]: (await api.request("GET", f"/commands/{charger['commandIds'][0]}")).body["action"]
        for charger in done["chargers"]
    }
    assert actions == {
        device.charger_id: "SignedUpdateFirmware" if device.security_extension else "UpdateFirmware"
        for device in stations
    }
