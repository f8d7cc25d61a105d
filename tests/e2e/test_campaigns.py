"""Campaigns end to end on the embedded runtime: real 1.6 and 2.0.1 charge points (the `ocpp` library's classes,
which validate every call against the official schemas) connected while the campaign state machine runs on moto
and its worker sends each charger's commands through the command workflow. A configuration campaign completes
with the chargers holding the settings; a command campaign halts at the failure threshold when chargers refuse;
a paused campaign starts no charger until resumed, then completes."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import datetime
from typing import Any

import pytest
from ocpp.routing import on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call_result as result16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call_result as result201

from csms import constants
from csms.local.runtime import LocalRuntime
from tests.e2e.charge_points import connected
from tests.e2e.conftest import OperatorApi, module_runtime
from tests.e2e.site_chargers import until

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

runtime, api, _environment = module_runtime(
    {
        constants.ENV_COMMAND_TIMEOUT_SECONDS: "20",  # a loaded 2-core CI machine is slow to carry answers back
        constants.ENV_COMMAND_POLL_INTERVAL_SECONDS: "1",  # the campaign's rounds too
        "POWERTOOLS_METRICS_DISABLED": "true",
    }
)
OCPP16, OCPP201 = "ocpp1.6", "ocpp2.0.1"
WAIT_SECONDS = 120
SETTINGS = [
    {"key": "MeterValueSampleInterval", "value": "30"},
    {"component": {"name": "SampledDataCtrlr"}, "variable": {"name": "TxUpdatedInterval"}, "value": "30"},
]
HELD = {OCPP16: {(None, "MeterValueSampleInterval"): "30"}, OCPP201: {("SampledDataCtrlr", "TxUpdatedInterval"): "30"}}


class Fleet:
    """What a test station keeps: the settings it took, whether it refuses ClearCache, what it was sent."""

    def setup(self, refuses: bool) -> None:
        self.refuses = refuses
        self.configuration: dict[tuple[str | None, str], str] = {}
        self.received: list[str] = []

    def cleared(self) -> str:
        self.received.append("ClearCache")
        return "Rejected" if self.refuses else "Accepted"


class Station16(ChargePoint16, Fleet):  # type: ignore[misc]
    @on("ChangeConfiguration")
    async def on_change(self, key: str, value: str) -> result16.ChangeConfiguration:
        self.received.append("ChangeConfiguration")
        self.configuration[(None, key)] = value
        return result16.ChangeConfiguration(status="Accepted")

    @on("ClearCache")
    async def on_clear_cache(self) -> result16.ClearCache:
        return result16.ClearCache(status=self.cleared())


class Station201(ChargePoint201, Fleet):  # type: ignore[misc]
    @on("SetVariables")
    async def on_set(self, set_variable_data: list[dict[str, Any]]) -> result201.SetVariables:
        self.received.append("SetVariables")
        for data in set_variable_data:
            self.configuration[(data["component"]["name"], data["variable"]["name"])] = data["attribute_value"]
        results = [
            {"attribute_status": "Accepted", "component": data["component"], "variable": data["variable"]}
            for data in set_variable_data
        ]
        return result201.SetVariables(set_variable_result=results)


@asynccontextmanager
async def stations(
    runtime: LocalRuntime, api: OperatorApi, versions: dict[str, str], refusing: frozenset[str] = frozenset()
) -> AsyncIterator[dict[str, Any]]:
    """Registered chargers (id -> subprotocol), all connected for the block."""
    async with AsyncExitStack() as stack:
        connected_stations = {}
        for charger_id, subprotocol in versions.items():
            await api.register_charger(charger_id)
            base = Station16 if subprotocol == OCPP16 else Station201

            def make(*args: Any, _base: type = base, _refuses: bool = charger_id in refusing, **kwargs: Any) -> Any:
                charge_point = _base(*args, **kwargs)
                charge_point.setup(_refuses)
                return charge_point

            connected_stations[charger_id] = await stack.enter_async_context(
                connected(runtime, charger_id, subprotocol, charge_point_class=make)
            )
        yield connected_stations


async def start(api: OperatorApi, body: dict[str, Any]) -> str:
    response = await api.request("POST", "/campaigns", body)
    assert response.status == 202, response.body
    return str(response.body["campaignId"])


async def campaign(api: OperatorApi, campaign_id: str) -> dict[str, Any]:
    response = await api.request("GET", f"/campaigns/{campaign_id}")
    assert response.status == 200, response.body
    return response.body  # type: ignore[no-any-return]


async def ended(api: OperatorApi, campaign_id: str) -> dict[str, Any]:
    """The campaign once it ended and no charger of it runs any more."""
    shown: dict[str, Any] = {}

    async def over() -> bool:
        shown.update(await campaign(api, campaign_id))
        return shown["status"] in ("Completed", "Halted", "Cancelled") and shown["counts"]["running"] == 0

    await until(over, WAIT_SECONDS, lambda: shown)
    return shown


async def test_a_configuration_campaign_over_both_versions_completes_and_the_chargers_hold_the_settings(
    runtime: LocalRuntime, api: OperatorApi
) -> None:
    versions = {f"CAMPAIGN-CFG-{index}": OCPP16 if index % 2 else OCPP201 for index in range(6)}
    async with stations(runtime, api, versions) as fleet:
        campaign_id = await start(
            api,
            {
                "name": "Sample every 30 s",
                "target": {"chargerIds": list(versions)},
                "operation": {"kind": "configuration", "settings": SETTINGS},
                "rollout": {"canary": 1, "batchSize": 2},
            },
        )
        done = await ended(api, campaign_id)

    assert (done["status"], done["batches"]) == ("Completed", 4)
    assert done["counts"] == {"total": 6, "pending": 0, "running": 0, "succeeded": 6, "failed": 0, "skipped": 0}
    for charger in done["chargers"]:
        subprotocol = versions[charger["chargerId"]]
        assert fleet[charger["chargerId"]].configuration == HELD[subprotocol], charger
        assert (charger["state"], len(charger["commandIds"])) == ("succeeded", 1), charger
    # The canary went first, alone: every other charger started after it finished.
    canary, *others = done["chargers"]
    assert canary["batch"] == 0
    canary_finished = datetime.fromisoformat(canary["finishedAt"])  # as times: "...17Z" sorts after "...17.5Z"
    assert all(datetime.fromisoformat(other["startedAt"]) >= canary_finished for other in others)
    stored = await api.request("GET", f"/chargers/{canary['chargerId']}")
    configuration = {(item["component"], item["variable"]): item["value"] for item in stored.body["configuration"]}
    assert HELD[versions[canary["chargerId"]]].items() <= configuration.items()


async def test_a_command_campaign_halts_when_the_failed_share_exceeds_the_threshold(
    runtime: LocalRuntime, api: OperatorApi
) -> None:
    versions = {f"CAMPAIGN-CMD-{index}": OCPP16 for index in range(6)}
    refusing = frozenset({"CAMPAIGN-CMD-1", "CAMPAIGN-CMD-2"})  # the first batch after the canary
    async with stations(runtime, api, versions, refusing) as fleet:
        campaign_id = await start(
            api,
            {
                "name": "Clear the caches",
                "target": {"chargerIds": list(versions), "ocppVersion": "1.6"},
                "operation": {"kind": "command", "action": "ClearCache", "payload": {}},
                "rollout": {"canary": 1, "batchSize": 2, "failureThreshold": 0.3},
            },
        )
        done = await ended(api, campaign_id)
        await asyncio.sleep(3)  # nothing more is sent once it halted
        after = await campaign(api, campaign_id)

    assert done["status"] == "Halted"
    assert "finished chargers failed" in done["reason"]
    assert done["counts"] == {"total": 6, "pending": 3, "running": 0, "succeeded": 1, "failed": 2, "skipped": 0}
    assert after["counts"] == done["counts"]
    states = {charger["chargerId"]: charger for charger in done["chargers"]}
    assert states["CAMPAIGN-CMD-1"]["outcome"] == {"reasons": ["ClearCache: Rejected"]}
    assert [fleet[charger_id].received for charger_id in versions] == [["ClearCache"]] * 3 + [[]] * 3


async def test_a_paused_campaign_starts_no_charger_until_resumed(runtime: LocalRuntime, api: OperatorApi) -> None:
    versions = {f"CAMPAIGN-PAUSE-{index}": OCPP201 if index else OCPP16 for index in range(3)}
    async with stations(runtime, api, versions) as fleet:
        campaign_id = await start(
            api,
            {
                "name": "Paused",
                "target": {"chargerIds": list(versions)},
                "operation": {"kind": "configuration", "settings": SETTINGS},
                "rollout": {"canary": 1, "batchSize": 2},
            },
        )
        paused = await api.request("POST", f"/campaigns/{campaign_id}/pause")
        assert (paused.status, paused.body["status"]) == (200, "Paused")
        await asyncio.sleep(5)  # rounds of a paused campaign start nobody; the execution ends
        held = await campaign(api, campaign_id)
        assert held["status"] == "Paused"
        assert held["counts"]["pending"] >= 2  # at most the canary had started
        assert all(not fleet[charger_id].received for charger_id in list(versions)[1:])

        resumed = await api.request("POST", f"/campaigns/{campaign_id}/resume")
        assert (resumed.status, resumed.body["status"]) == (200, "Running")
        done = await ended(api, campaign_id)

    assert (done["status"], done["counts"]["succeeded"]) == ("Completed", 3)
    assert all(fleet[charger_id].configuration for charger_id in versions)
