"""Commands in flight when `csms local` stops, as a new runtime on the same data directory finds them:
the workflows are gone with moto, the commands and the queues are not."""

import asyncio
from pathlib import Path
from typing import Any

import pytest

from csms import constants
from csms.local.runtime import running_runtime
from tests.e2e.charge_points import connected
from tests.e2e.conftest import OperatorApi
from tests.e2e.test_commands import OCPP16, ChargePoint16Commands, commanded, eventually, finished, submit

pytestmark = pytest.mark.e2e

CHARGER = "RESTARTED"
SETTINGS = {
    constants.ENV_COMMAND_TIMEOUT_SECONDS: "60",  # the unanswered CALL must not time out before the restart
    constants.ENV_COMMAND_POLL_INTERVAL_SECONDS: "1",
    "POWERTOOLS_METRICS_DISABLED": "true",
}
UNLOCK = {"action": "UnlockConnector", "payload": {"connectorId": 1}}


async def test_the_call_on_the_wire_is_interrupted_and_the_queued_command_goes_once_the_charger_is_back(
    tmp_path: Path,
) -> None:
    async with running_runtime(port=0, data_dir=tmp_path, extra_env=SETTINGS) as first:
        api = OperatorApi(first)
        async with commanded(first, api, CHARGER, OCPP16) as charge_point:
            never = asyncio.Event()

            async def silent(**_: Any) -> Any:
                await never.wait()

            charge_point.handle("ClearCache", silent)
            on_the_wire = await submit(api, CHARGER, "commands", {"action": "ClearCache"})
            queued = await submit(api, CHARGER, "commands", UNLOCK)
            await eventually(api, on_the_wire, lambda found: found["status"] == "Sent")
            assert (await eventually(api, queued, lambda _: True))["status"] == "Pending"
            await first.stop()

    async with running_runtime(port=0, data_dir=tmp_path, extra_env=SETTINGS) as second:
        api = OperatorApi(second)
        await asyncio.sleep(2)  # the charger takes its time to come back: the queued command waits for it
        async with connected(second, CHARGER, OCPP16, charge_point_class=ChargePoint16Commands) as charge_point:
            interrupted = await eventually(api, on_the_wire, finished)
            went_out = await eventually(api, queued, finished)
            # The queue moved on: the next command goes at once, not after a lease
            after = await eventually(api, await submit(api, CHARGER, "commands", UNLOCK), finished, timeout=5)

    assert interrupted["status"] == "Failed"
    assert interrupted["error"]["code"] == "Interrupted"
    assert (went_out["status"], went_out["response"]) == ("Accepted", {"status": "Unlocked"})
    assert after["status"] == "Accepted"
    assert charge_point.calls() == [("UnlockConnector", {"connectorId": 1})] * 2


async def test_an_accepted_reset_is_still_followed_until_its_charger_is_back(tmp_path: Path) -> None:
    charger_id = "RESET-ACROSS"
    async with running_runtime(port=0, data_dir=tmp_path, extra_env=SETTINGS) as first:
        api = OperatorApi(first)
        async with commanded(first, api, charger_id, OCPP16):
            reset = await submit(api, charger_id, "reset", {"type": "soft"})
            await eventually(api, reset, lambda found: found["status"] == "Accepted")
            await first.stop()  # before the charger resets: the follow-up is under way

    async with running_runtime(port=0, data_dir=tmp_path, extra_env=SETTINGS) as second:
        api = OperatorApi(second)
        assert (await eventually(api, reset, lambda _: True))["finishedAt"] is None
        async with connected(second, charger_id, OCPP16, charge_point_class=ChargePoint16Commands):
            found = await eventually(api, reset, finished)

    assert found["status"] == "Accepted"
    assert found["result"] == {"cameBack": True, "booted": False, "reconnected": True}
