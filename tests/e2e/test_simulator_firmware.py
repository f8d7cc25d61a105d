"""`csms simulate` chargers install firmware as real ones do: a firmware campaign per simulated model (1.6 and
2.0.1) completes, each charger having downloaded the image from the URL it was given (a presigned URL, or a short
link's 307) and booted with the version the image holds, and the fleet met no CALLERROR and no invalid answer."""

import asyncio
import urllib.request
from typing import Any

import pytest

from csms import constants
from csms.local.runtime import LocalRuntime
from csms.simulator.fleet import simulate
from csms.simulator.options import SimulationOptions
from tests.e2e.conftest import OperatorApi, module_runtime
from tests.e2e.site_chargers import until

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

runtime, api, _environment = module_runtime(
    {
        constants.ENV_COMMAND_POLL_INTERVAL_SECONDS: "1",  # the follow-ups' and the campaign's rounds too
        "POWERTOOLS_METRICS_DISABLED": "true",
    }
)
VENDOR, NEW_VERSION = "csms-simulator", "sim-fw-2.0"
MODELS = {"1.6": "Sim-16", "2.0.1": "Sim-201"}


def put(url: str, content: bytes) -> int:
    request = urllib.request.Request(url, data=content, method="PUT")  # noqa: S310 - the local front door
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return int(response.status)


async def uploaded_image(api: OperatorApi, model: str) -> str:
    """An image whose bytes are its version (a simulated charger then runs that version)."""
    response = await api.request("POST", "/firmware", {"vendor": VENDOR, "model": model, "version": NEW_VERSION})
    assert response.status == 201, response.body
    assert await asyncio.to_thread(put, response.body["uploadUrl"], NEW_VERSION.encode()) == 200
    return str(response.body["firmwareId"])


async def finished_campaign(api: OperatorApi, campaign_id: str) -> dict[str, Any]:
    shown: dict[str, Any] = {}

    async def over() -> bool:
        shown.update((await api.request("GET", f"/campaigns/{campaign_id}")).body)
        return shown["status"] != "Running" and shown["counts"]["running"] == 0

    await until(over, 120, lambda: shown)
    return shown


async def test_simulated_chargers_of_both_versions_install_a_firmware_campaign_and_boot_with_it(
    runtime: LocalRuntime, api: OperatorApi
) -> None:
    options = SimulationOptions(
        url=runtime.ws_url,
        chargers=4,
        ocpp="mixed",
        connectors=1,
        duration_seconds=60,
        meter_interval_seconds=5,
        session_minutes=(60, 60),
        api_url=runtime.api_url,
        api_token=runtime.token,
        summary_interval_seconds=60,
        ramp_seconds=0,
        sessions="remote",  # no sessions of their own: the campaign alone
    )
    fleet = asyncio.create_task(simulate(options, announce=lambda _: None))
    chargers = [options.charger_id(index) for index in range(options.chargers)]

    async def all_booted() -> bool:
        shown = [(await api.request("GET", f"/chargers/{charger_id}")).body for charger_id in chargers]
        return all(charger.get("lastBoot") and charger["connected"] for charger in shown)

    await until(all_booted, 30, lambda: chargers)
    campaign_ids = []
    for version, model in MODELS.items():
        body = {
            "name": f"simulated {version}",
            "target": {"vendor": VENDOR, "model": model},
            "operation": {"kind": "firmware", "firmwareId": await uploaded_image(api, model)},
            "rollout": {"canary": 1, "batchSize": 2},
        }
        response = await api.request("POST", "/campaigns", body)
        assert response.status == 202, response.body
        campaign_ids.append(response.body["campaignId"])
    campaigns = [await finished_campaign(api, campaign_id) for campaign_id in campaign_ids]
    versions = {
        charger_id: (await api.request("GET", f"/chargers/{charger_id}")).body["firmwareVersion"]
        for charger_id in chargers
    }
    statistics = await fleet  # its run ends after `duration_seconds`

    for campaign in campaigns:
        assert campaign["status"] == "Completed", campaign
        assert campaign["counts"]["succeeded"] == campaign["counts"]["total"] == 2, campaign
    assert versions == dict.fromkeys(chargers, NEW_VERSION)
    assert statistics.commands_answered["UpdateFirmware"] == 4
    assert statistics.error_count == 0
