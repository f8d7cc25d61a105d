"""2.0.1 local firmware distribution end to end on the embedded runtime: a registered image, uploaded to moto S3, is
published on a real 2.0.1 charging station acting as local controller (the simulator's, over a WebSocket): it
downloads the image from the URL it is given, checks its MD5 and reports each step with
PublishFirmwareStatusNotification; the PublishFirmware command ends with the locations it serves the image at.
UnpublishFirmware answers Unpublished, then NoFirmware; a wrong checksum ends InvalidChecksum."""

import asyncio
import hashlib
import random
import time
import urllib.request
from typing import Any

import pytest

from csms import constants
from csms.local.runtime import LocalRuntime
from csms.simulator.ocpp201 import Charger201
from csms.simulator.options import SimulationOptions
from csms.simulator.state import ChargerState
from csms.simulator.statistics import Statistics
from tests.e2e.charge_points import connected
from tests.e2e.conftest import OperatorApi, module_runtime

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

runtime, api, _environment = module_runtime(
    {constants.ENV_COMMAND_POLL_INTERVAL_SECONDS: "1", "POWERTOOLS_METRICS_DISABLED": "true"}
)

CONTROLLER = "LC-201"
IMAGE = b"local controller firmware\n" * 4000
MD5 = hashlib.md5(IMAGE).hexdigest()  # noqa: S324 - OCPP's checksum
WAIT_SECONDS = 30


def local_controller(runtime: LocalRuntime) -> Any:
    """Makes the simulator's 2.0.1 station as `connected` makes charge points."""

    def make(charge_point_id: str, connection: Any, **_: Any) -> Charger201:
        options = SimulationOptions(url=runtime.ws_url, chargers=1, ocpp="2.0.1", sessions="remote")
        state = ChargerState.new(charge_point_id, 1, random.Random(1))
        return Charger201(connection, state, options, Statistics(), [], random.Random(1))

    return make


def put(url: str, body: bytes) -> int:
    request = urllib.request.Request(url, data=body, method="PUT")  # noqa: S310 - the URL the CSMS gave
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return int(response.status)


async def registered_image(api: OperatorApi) -> str:
    registered = await api.request("POST", "/firmware", {"vendor": "ACME", "model": "LC", "version": "1.0"})
    assert registered.status == 201, registered.body
    assert await asyncio.to_thread(put, registered.body["uploadUrl"], IMAGE) == 200
    firmware_id: str = registered.body["firmwareId"]
    return firmware_id


async def finished(api: OperatorApi, submitted: Any) -> dict[str, Any]:
    assert submitted.status == 202, submitted.body
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        command: dict[str, Any] = (await api.request("GET", f"/commands/{submitted.body['commandId']}")).body
        if command["finishedAt"] is not None:
            return command
        await asyncio.sleep(0.3)
    raise AssertionError(f"command not finished in time: {command}")


async def test_a_local_controller_publishes_a_registered_image_and_unpublishes_it(
    runtime: LocalRuntime, api: OperatorApi
) -> None:
    await api.register_charger(CONTROLLER)
    firmware_id = await registered_image(api)
    async with connected(runtime, CONTROLLER, "ocpp2.0.1", charge_point_class=local_controller(runtime)):
        published = await finished(
            api, await api.request("POST", f"/firmware/{firmware_id}/publish", {"chargerId": CONTROLLER})
        )

        assert published["status"] == "Accepted", published
        assert published["result"] == {
            "published": True,
            "locations": [f"http://{CONTROLLER}.local/firmware/{MD5}"],
            "publishStatus": "Published",
        }
        notifications = await api.request(
            "GET", f"/chargers/{CONTROLLER}/notifications?kind=PublishFirmwareStatusNotification"
        )
        assert [item["details"]["status"] for item in reversed(notifications.body["items"])] == [
            "Downloading",
            "Downloaded",
            "ChecksumVerified",
            "Published",
        ]

        for answer, status in (("Unpublished", "Accepted"), ("NoFirmware", "Rejected")):
            unpublished = await finished(
                api, await api.request("POST", f"/firmware/{firmware_id}/unpublish", {"chargerId": CONTROLLER})
            )
            assert (unpublished["status"], unpublished["response"]) == (status, {"status": answer})

        wrong = {"location": published["request"]["location"], "checksum": "0" * 32, "requestId": 77}
        refused = await finished(
            api,
            await api.request(
                "POST", f"/chargers/{CONTROLLER}/commands", {"action": "PublishFirmware", "payload": wrong}
            ),
        )

        assert refused["result"] == {"published": False, "publishStatus": "InvalidChecksum"}
