"""The site's 0 A TxDefaultProfile end to end: real WebSocket charge points of both versions (the `ocpp`
library's classes, which validate every call against the official schemas) receive it through the embedded
runtime's command workflow when they boot at a site and when they join one, and its clearing when they
leave; the operator API shows them holding it while they are at the site."""

import asyncio
import time
from typing import Any

import pytest
from ocpp.routing import on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call_result as result16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call_result as result201

from csms import constants
from csms.local.runtime import LocalRuntime
from csms.rebalancing.default_profile import SITE_DEFAULT_PROFILE_ID
from tests.e2e.charge_points import connected
from tests.e2e.conftest import OperatorApi, module_runtime
from tests.e2e.test_charging_profiles import held, until_held
from tests.e2e.test_commands import OCPP16, OCPP201, boot

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

runtime, api, _environment = module_runtime(
    {
        constants.ENV_COMMAND_TIMEOUT_SECONDS: "5",
        constants.ENV_COMMAND_POLL_INTERVAL_SECONDS: "1",
        "POWERTOOLS_METRICS_DISABLED": "true",
    }
)
DEFAULT_HELD = [(SITE_DEFAULT_PROFILE_ID, 0, "TxDefaultProfile", None)]


class Recording16(ChargePoint16):
    """Accepts profiles and keeps what it was sent: (action, place, profile or criteria), snake_case."""

    received: list[tuple[str, int | None, dict[str, Any]]]

    @on("SetChargingProfile")
    async def on_set(self, connector_id: int, cs_charging_profiles: dict[str, Any]) -> Any:
        self.received.append(("SetChargingProfile", connector_id, cs_charging_profiles))
        return result16.SetChargingProfile(status="Accepted")

    @on("ClearChargingProfile")
    async def on_clear(self, **criteria: Any) -> Any:
        self.received.append(("ClearChargingProfile", None, criteria))
        return result16.ClearChargingProfile(status="Accepted")


class Recording201(ChargePoint201):
    received: list[tuple[str, int | None, dict[str, Any]]]

    @on("SetChargingProfile")
    async def on_set(self, evse_id: int, charging_profile: dict[str, Any], **_: Any) -> Any:
        self.received.append(("SetChargingProfile", evse_id, charging_profile))
        return result201.SetChargingProfile(status="Accepted")

    @on("ClearChargingProfile")
    async def on_clear(self, **criteria: Any) -> Any:
        self.received.append(("ClearChargingProfile", None, criteria))
        return result201.ClearChargingProfile(status="Accepted")


def recording(subprotocol: str) -> Any:
    base = Recording16 if subprotocol == OCPP16 else Recording201

    def make(*args: Any, **kwargs: Any) -> Any:
        charge_point = base(*args, **kwargs)
        charge_point.received = []
        return charge_point

    return make


async def until_received(charge_point: Any, action: str, timeout: float = 20) -> tuple[int | None, dict[str, Any]]:
    """The first `action` the charge point was sent (waiting for it)."""
    deadline = time.monotonic() + timeout
    while not (found := [(place, sent) for name, place, sent in charge_point.received if name == action]):
        assert time.monotonic() < deadline, charge_point.received
        await asyncio.sleep(0.1)
    return found[0]


def assert_site_default(subprotocol: str, place: int | None, profile: dict[str, Any]) -> None:
    """Connector / EVSE 0, TxDefaultProfile, rate unit A, 0 A, for no transaction."""
    schedule = profile["charging_schedule"]
    if subprotocol == OCPP16:
        profile_id = profile["charging_profile_id"]
    else:
        profile_id, (schedule,) = profile["id"], schedule
    assert (place, profile_id, profile["charging_profile_purpose"]) == (0, SITE_DEFAULT_PROFILE_ID, "TxDefaultProfile")
    assert "transaction_id" not in profile
    assert schedule["charging_rate_unit"] == "A"
    assert [period["limit"] for period in schedule["charging_schedule_period"]] == [0]


async def put_site(api: OperatorApi, site_id: str) -> None:
    response = await api.request("PUT", f"/sites/{site_id}", {"name": site_id, "gridLimitAmps": 32})
    assert response.status == 200, response.body


async def wire(api: OperatorApi, charger_id: str, site_id: str | None) -> None:
    response = await api.request("PUT", f"/chargers/{charger_id}", {"siteId": site_id})
    assert response.status == 200, response.body


@pytest.mark.parametrize("subprotocol", [OCPP16, OCPP201])
async def test_a_charger_booting_at_a_site_receives_the_default(
    runtime: LocalRuntime, api: OperatorApi, subprotocol: str
) -> None:
    site_id, charger_id = f"boot-{subprotocol}", f"E2E-DEFAULT-BOOT-{subprotocol}"
    await put_site(api, site_id)
    await api.register_charger(charger_id)
    await wire(api, charger_id, site_id)  # never connected yet: nothing can be sent

    async with connected(runtime, charger_id, subprotocol, charge_point_class=recording(subprotocol)) as charger:
        await boot(charger, subprotocol)
        place, profile = await until_received(charger, "SetChargingProfile")
        assert_site_default(subprotocol, place, profile)
        await until_held(api, charger_id, DEFAULT_HELD, timeout=20)


@pytest.mark.parametrize("subprotocol", [OCPP16, OCPP201])
async def test_a_charger_joining_a_site_receives_the_default_and_leaving_it_its_clearing(
    runtime: LocalRuntime, api: OperatorApi, subprotocol: str
) -> None:
    site_id, charger_id = f"join-{subprotocol}", f"E2E-DEFAULT-JOIN-{subprotocol}"
    await put_site(api, site_id)
    await api.register_charger(charger_id)

    async with connected(runtime, charger_id, subprotocol, charge_point_class=recording(subprotocol)) as charger:
        await boot(charger, subprotocol)
        await asyncio.sleep(2)  # at no site: its boot sends nothing
        assert charger.received == []
        assert await held(api, charger_id) == []

        await wire(api, charger_id, site_id)
        place, profile = await until_received(charger, "SetChargingProfile")
        assert_site_default(subprotocol, place, profile)
        await until_held(api, charger_id, DEFAULT_HELD, timeout=20)

        await wire(api, charger_id, None)
        _, criteria = await until_received(charger, "ClearChargingProfile")
        assert criteria == (
            {"id": SITE_DEFAULT_PROFILE_ID}
            if subprotocol == OCPP16
            else {"charging_profile_id": SITE_DEFAULT_PROFILE_ID}
        )
        await until_held(api, charger_id, [], timeout=20)
