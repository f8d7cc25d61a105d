"""A campaign running when `csms local` stops (SIGTERM), as the next run on the same data directory finds it: its
execution is gone with moto, the campaign and its chargers are not; the new run takes it up (the next generation's
execution) and it completes."""

import signal
from pathlib import Path

import pytest

from csms import constants
from tests.e2e.conftest import OperatorApi
from tests.e2e.site_chargers import until
from tests.e2e.test_campaigns import HELD, OCPP16, OCPP201, SETTINGS, campaign, ended, start, stations
from tests.e2e.test_restart import start_csms, stop_csms

pytestmark = pytest.mark.e2e

ENVIRONMENT = {
    constants.ENV_COMMAND_TIMEOUT_SECONDS: "20",
    constants.ENV_COMMAND_POLL_INTERVAL_SECONDS: "1",  # the campaign's rounds too
}
CANARY, FIRST, LATE = "RESTART-CAMPAIGN-0", "RESTART-CAMPAIGN-1", "RESTART-CAMPAIGN-2"
VERSIONS = {CANARY: OCPP16, FIRST: OCPP201, LATE: OCPP16}


async def test_a_running_campaign_is_taken_up_after_a_restart_and_completes(tmp_path: Path) -> None:
    data_dir = tmp_path / "csms"
    csms = await start_csms(data_dir, ENVIRONMENT)
    try:
        api = OperatorApi(csms)  # type: ignore[arg-type]
        # LATE connected once (its version is known), and is offline when its turn comes
        async with stations(csms, api, {LATE: OCPP16}):  # type: ignore[arg-type]
            pass
        async with stations(csms, api, {CANARY: OCPP16, FIRST: OCPP201}):  # type: ignore[arg-type]
            campaign_id = await start(
                api,
                {
                    "name": "Across a restart",
                    "target": {"chargerIds": list(VERSIONS)},
                    "operation": {"kind": "configuration", "settings": SETTINGS},
                    "rollout": {"canary": 1, "batchSize": 2},
                },
            )
            shown: dict[str, object] = {}

            async def only_the_late_one_left() -> bool:
                shown.update(await campaign(api, campaign_id))
                return shown["counts"] == {  # type: ignore[no-any-return]
                    "total": 3,
                    "pending": 0,
                    "running": 1,
                    "succeeded": 2,
                    "failed": 0,
                    "skipped": 0,
                }

            await until(only_the_late_one_left, 60, lambda: shown)
            # When csms local stops while the campaign waits for LATE
            assert await stop_csms(csms, signal.SIGTERM) == 0

        csms = await start_csms(data_dir, ENVIRONMENT)
        api = OperatorApi(csms)  # type: ignore[arg-type]
        assert (await campaign(api, campaign_id))["status"] == "Running"
        # Then LATE's turn goes on once it connects, and the campaign completes
        async with stations(csms, api, {LATE: OCPP16}) as late:  # type: ignore[arg-type]
            done = await ended(api, campaign_id)
    finally:
        if csms.process.returncode is None:
            await stop_csms(csms, signal.SIGTERM)

    assert (done["status"], done["counts"]["succeeded"]) == ("Completed", 3)
    assert late[LATE].configuration == HELD[OCPP16]
    states = {charger["chargerId"]: (charger["state"], len(charger["commandIds"])) for charger in done["chargers"]}
    assert states == {CANARY: ("succeeded", 1), FIRST: ("succeeded", 1), LATE: ("succeeded", 1)}
