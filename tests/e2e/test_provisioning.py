"""Provisioning at first boot end to end: real 1.6 and 2.0.1 charge points (the `ocpp` library's classes, which
validate every call against the official schemas) with a provisioning profile of their own or their site's are
answered Pending, take the settings (ChangeConfiguration / SetVariables), are asked for a new BootNotification
(TriggerMessage) or restarted (Reset, after a RebootRequired) and are then Accepted; the operator API shows the
profile Applied and the values in their stored configuration. One that refuses a setting stays Pending with the
reason; one without a profile is Accepted at once."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from ocpp.routing import after, on
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

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

runtime, api, _environment = module_runtime(
    {
        constants.ENV_COMMAND_TIMEOUT_SECONDS: "20",  # a loaded 2-core CI machine is slow to carry answers back
        constants.ENV_COMMAND_POLL_INTERVAL_SECONDS: "1",
        "POWERTOOLS_METRICS_DISABLED": "true",
    }
)
OCPP16, OCPP201 = "ocpp1.6", "ocpp2.0.1"
WAIT_SECONDS = 60

# One profile for both versions: each charger takes the settings its version speaks.
SAMPLE_INTERVAL_16 = {"key": "MeterValueSampleInterval", "value": "30"}
CLOCK_ALIGNED_16 = {"key": "ClockAlignedDataInterval", "value": "900"}
SAMPLE_INTERVAL_201 = {
    "component": {"name": "SampledDataCtrlr"},
    "variable": {"name": "TxUpdatedInterval"},
    "value": "30",
    "attributeType": "Actual",  # shown so when absent too
}
OFFLINE_THRESHOLD_201 = {
    "component": {"name": "OCPPCommCtrlr"},
    "variable": {"name": "OfflineThreshold"},
    "value": "300",
    "attributeType": "Actual",
}
PROFILE = [SAMPLE_INTERVAL_16, CLOCK_ALIGNED_16, SAMPLE_INTERVAL_201, OFFLINE_THRESHOLD_201]
EXPECTED_CONFIGURATION: dict[str, dict[tuple[str | None, str], str]] = {
    OCPP16: {(None, "MeterValueSampleInterval"): "30", (None, "ClockAlignedDataInterval"): "900"},
    OCPP201: {("SampledDataCtrlr", "TxUpdatedInterval"): "30", ("OCPPCommCtrlr", "OfflineThreshold"): "300"},
}


class Provisioned:
    """What a test station does with settings: keeps them (`configuration`, by (component, variable)), refuses
    those named in `refused`, answers RebootRequired for those in `reboot_required`; a TriggerMessage
    BootNotification makes it boot again, a Reset is recorded (the test restarts it)."""

    def setup(self, refused: set[str], reboot_required: set[str]) -> None:
        self.refused, self.reboot_required = refused, reboot_required
        self.configuration: dict[tuple[str | None, str], str] = {}
        self.boots: asyncio.Queue[str] = asyncio.Queue()  # the status of each BootNotification answer
        self.resets: list[str] = []
        self.triggered: list[str] = []

    def take(self, component: str | None, variable: str, value: str) -> str:
        if variable in self.refused:
            return "Rejected"
        self.configuration[(component, variable)] = value
        return "RebootRequired" if variable in self.reboot_required else "Accepted"


class Station16(ChargePoint16, Provisioned):  # type: ignore[misc]
    async def boot(self) -> str:
        answer = await self.call(call16.BootNotification(charge_point_vendor="Acme", charge_point_model="AC-22"))
        await self.boots.put(answer.status)
        return str(answer.status)

    @on("ChangeConfiguration")
    async def on_change(self, key: str, value: str) -> result16.ChangeConfiguration:
        return result16.ChangeConfiguration(status=self.take(None, key, value))

    @on("TriggerMessage")
    async def on_trigger(self, requested_message: str, **_: Any) -> result16.TriggerMessage:
        self.triggered.append(requested_message)
        return result16.TriggerMessage(status="Accepted")

    @after("TriggerMessage")
    async def boot_when_asked(self, requested_message: str, **_: Any) -> None:
        if requested_message == "BootNotification":
            await self.boot()

    @on("Reset")
    async def on_reset(self, type: str) -> result16.Reset:
        self.resets.append(type)
        return result16.Reset(status="Accepted")


class Station201(ChargePoint201, Provisioned):  # type: ignore[misc]
    async def boot(self) -> str:
        station = {"vendor_name": "Acme", "model": "AC-22"}
        answer = await self.call(call201.BootNotification(charging_station=station, reason="PowerUp"))
        await self.boots.put(answer.status)
        return str(answer.status)

    @on("SetVariables")
    async def on_set(self, set_variable_data: list[dict[str, Any]]) -> result201.SetVariables:
        results = [
            {
                "attribute_status": self.take(
                    data["component"]["name"], data["variable"]["name"], data["attribute_value"]
                ),
                "component": data["component"],
                "variable": data["variable"],
            }
            for data in set_variable_data
        ]
        return result201.SetVariables(set_variable_result=results)

    @on("TriggerMessage")
    async def on_trigger(self, requested_message: str, **_: Any) -> result201.TriggerMessage:
        self.triggered.append(requested_message)
        return result201.TriggerMessage(status="Accepted")

    @after("TriggerMessage")
    async def boot_when_asked(self, requested_message: str, **_: Any) -> None:
        if requested_message == "BootNotification":
            await self.boot()

    @on("Reset")
    async def on_reset(self, type: str, **_: Any) -> result201.Reset:
        self.resets.append(type)
        return result201.Reset(status="Accepted")


@asynccontextmanager
async def station(
    runtime: LocalRuntime,
    charger_id: str,
    subprotocol: str,
    refused: set[str] | None = None,
    reboot_required: set[str] | None = None,
) -> AsyncIterator[Any]:
    base = Station16 if subprotocol == OCPP16 else Station201

    def make(*args: Any, **kwargs: Any) -> Any:
        charge_point = base(*args, **kwargs)
        charge_point.setup(refused or set(), reboot_required or set())
        return charge_point

    async with connected(runtime, charger_id, subprotocol, charge_point_class=make) as charge_point:
        yield charge_point


async def charger(api: OperatorApi, charger_id: str) -> dict[str, Any]:
    response = await api.request("GET", f"/chargers/{charger_id}")
    assert response.status == 200, response.body
    body: dict[str, Any] = response.body
    return body


async def provisioning_status(api: OperatorApi, charger_id: str) -> str | None:
    return (await charger(api, charger_id))["provisioning"]["status"]  # type: ignore[no-any-return]


def stored_configuration(detail: dict[str, Any]) -> dict[tuple[str | None, str], str]:
    return {(item["component"], item["variable"]): item["value"] for item in detail["configuration"]}


async def next_boot(charge_point: Any) -> str:
    return await asyncio.wait_for(charge_point.boots.get(), WAIT_SECONDS)  # type: ignore[no-any-return]


VERSIONS = pytest.mark.parametrize("subprotocol", [OCPP16, OCPP201], ids=["1.6", "2.0.1"])


@VERSIONS
@pytest.mark.parametrize("source", ["charger", "site"])
async def test_a_charger_with_a_profile_is_pending_until_it_holds_the_settings_then_accepted(
    runtime: LocalRuntime, api: OperatorApi, subprotocol: str, source: str
) -> None:
    charger_id = f"PROVISION-{source.upper()}-{subprotocol[-3:].replace('.', '')}"
    if source == "site":
        site_id = f"site-{charger_id.lower()}"
        site = {"name": site_id, "gridLimitAmps": 64, "provisioning": {"settings": PROFILE}}
        assert (response := await api.request("PUT", f"/sites/{site_id}", site)).status == 200, response.body
        await api.register_charger(charger_id)
        wired = await api.request("PUT", f"/chargers/{charger_id}", {"siteId": site_id})
        assert wired.status == 200, wired.body
    else:
        await api.register_charger(charger_id)
        profile = await api.request("PUT", f"/chargers/{charger_id}", {"provisioning": {"settings": PROFILE}})
        assert profile.status == 200, profile.body

    async with station(runtime, charger_id, subprotocol) as charge_point:
        assert await charge_point.boot() == "Pending"
        assert await next_boot(charge_point) == "Pending"  # its own boot, queued too
        assert await next_boot(charge_point) == "Accepted"  # the one the TriggerMessage asked for

    detail = await charger(api, charger_id)
    assert detail["provisioning"]["status"] == "Applied"
    assert detail["provisioning"]["source"] == source
    assert detail["provisioning"]["settings"] == PROFILE
    assert charge_point.configuration == EXPECTED_CONFIGURATION[subprotocol]
    assert EXPECTED_CONFIGURATION[subprotocol].items() <= stored_configuration(detail).items()
    assert charge_point.triggered == ["BootNotification"]
    assert charge_point.resets == []

    # Applied: a later boot is Accepted at once and sends nothing again.
    async with station(runtime, charger_id, subprotocol) as charge_point:
        assert await charge_point.boot() == "Accepted"
    assert charge_point.configuration == {}


@VERSIONS
async def test_a_charger_that_refuses_a_setting_stays_pending_with_the_reason(
    runtime: LocalRuntime, api: OperatorApi, subprotocol: str
) -> None:
    charger_id = f"PROVISION-REFUSES-{subprotocol[-3:].replace('.', '')}"
    refused = "ClockAlignedDataInterval" if subprotocol == OCPP16 else "OfflineThreshold"
    await api.register_charger(charger_id)
    profile = await api.request("PUT", f"/chargers/{charger_id}", {"provisioning": {"settings": PROFILE}})
    assert profile.status == 200, profile.body

    async with station(runtime, charger_id, subprotocol, refused={refused}) as charge_point:
        assert await charge_point.boot() == "Pending"
        await until(
            lambda: _rejected(api, charger_id),
            WAIT_SECONDS,
            lambda: f"{charger_id} never shown Rejected",
        )
        assert await charge_point.boot() == "Pending"  # still, and nothing is asked of it again

    detail = await charger(api, charger_id)
    assert detail["provisioning"]["status"] == "Rejected"
    assert refused in detail["provisioning"]["reason"]
    assert "Rejected" in detail["provisioning"]["reason"]
    assert charge_point.triggered == []
    assert charge_point.resets == []


async def _rejected(api: OperatorApi, charger_id: str) -> bool:
    return await provisioning_status(api, charger_id) == "Rejected"


@VERSIONS
async def test_a_setting_that_needs_a_reboot_restarts_the_charger_and_its_next_boot_is_accepted(
    runtime: LocalRuntime, api: OperatorApi, subprotocol: str
) -> None:
    charger_id = f"PROVISION-REBOOT-{subprotocol[-3:].replace('.', '')}"
    reboot = "MeterValueSampleInterval" if subprotocol == OCPP16 else "TxUpdatedInterval"
    await api.register_charger(charger_id)
    profile = await api.request("PUT", f"/chargers/{charger_id}", {"provisioning": {"settings": PROFILE}})
    assert profile.status == 200, profile.body

    async with station(runtime, charger_id, subprotocol, reboot_required={reboot}) as charge_point:
        assert await charge_point.boot() == "Pending"
        await until(lambda: bool(charge_point.resets), WAIT_SECONDS, lambda: f"{charger_id} was never reset")
    assert charge_point.resets == ["Soft" if subprotocol == OCPP16 else "OnIdle"]
    assert charge_point.triggered == []
    assert charge_point.configuration == EXPECTED_CONFIGURATION[subprotocol]

    async with station(runtime, charger_id, subprotocol) as restarted:
        assert await restarted.boot() == "Accepted"
    assert await provisioning_status(api, charger_id) == "Applied"


@VERSIONS
async def test_a_charger_without_a_profile_is_accepted_at_once(
    runtime: LocalRuntime, api: OperatorApi, subprotocol: str
) -> None:
    charger_id = f"PROVISION-NONE-{subprotocol[-3:].replace('.', '')}"
    await api.register_charger(charger_id)

    async with station(runtime, charger_id, subprotocol) as charge_point:
        assert await charge_point.boot() == "Accepted"

    detail = await charger(api, charger_id)
    assert detail["provisioning"] == {"settings": [], "source": None, "status": None, "reason": None, "updatedAt": None}
    assert charge_point.configuration == {}
