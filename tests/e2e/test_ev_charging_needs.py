"""NotifyEVChargingNeeds end to end: a real 2.0.1 WebSocket charge point (the `ocpp` library's class, which
validates every answer against the official schemas) at a site has its vehicle's needs Accepted and then
receives a TxProfile for its transaction from the embedded runtime's rebalance; one not at a site is Rejected."""

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from ocpp.routing import on
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as result201

from csms import constants
from csms.local.runtime import LocalRuntime
from tests.e2e.charge_points import connected
from tests.e2e.conftest import OperatorApi, module_runtime
from tests.e2e.test_commands import OCPP201, boot

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

runtime, api, _environment = module_runtime(
    {
        constants.ENV_COMMAND_TIMEOUT_SECONDS: "5",
        constants.ENV_COMMAND_POLL_INTERVAL_SECONDS: "1",
        "POWERTOOLS_METRICS_DISABLED": "true",
    }
)
TRANSACTION = "e2e-needs-tx"


class Recording201(ChargePoint201):
    """Accepts every profile and keeps the TxProfiles it was sent (snake_case, as the library gives them)."""

    tx_profiles: list[dict[str, Any]]

    @on("SetChargingProfile")
    async def on_set(self, evse_id: int, charging_profile: dict[str, Any], **_: Any) -> Any:
        if charging_profile["charging_profile_purpose"] == "TxProfile":
            self.tx_profiles.append(charging_profile)
        return result201.SetChargingProfile(status="Accepted")

    @on("ClearChargingProfile")
    async def on_clear(self, **_: Any) -> Any:
        return result201.ClearChargingProfile(status="Accepted")


def now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


async def started(charge_point: Any) -> None:
    event = {
        "timestamp": iso(now()),
        "trigger_reason": "CablePluggedIn",
        "transaction_info": {"transaction_id": TRANSACTION, "charging_state": "Charging"},
        "evse": {"id": 1, "connector_id": 1},
    }
    await charge_point.call(call201.TransactionEvent(event_type="Started", seq_no=0, **event))


async def notify_needs(charge_point: Any) -> str:
    needs = {
        "requested_energy_transfer": "AC_three_phase",
        "departure_time": iso(now() + timedelta(hours=3)),
        "ac_charging_parameters": {
            "energy_amount": 30000,
            "ev_min_current": 6,
            "ev_max_current": 16,
            "ev_max_voltage": 400,
        },
    }
    answer = await charge_point.call(call201.NotifyEVChargingNeeds(charging_needs=needs, evse_id=1))
    status: str = answer.status
    return status


async def settled(charge_point: Any, quiet: float = 3, timeout: float = 30) -> int:
    """The number of TxProfiles received once none came for `quiet` seconds (the rebalances of the start are done)."""
    deadline, count, since = time.monotonic() + timeout, len(charge_point.tx_profiles), time.monotonic()
    while time.monotonic() - since < quiet:
        assert time.monotonic() < deadline, charge_point.tx_profiles
        await asyncio.sleep(0.2)
        if len(charge_point.tx_profiles) != count:
            count, since = len(charge_point.tx_profiles), time.monotonic()
    return count


async def test_needs_at_a_site_are_accepted_and_a_tx_profile_follows(runtime: LocalRuntime, api: OperatorApi) -> None:
    charger_id = "E2E-NEEDS"
    site = await api.request("PUT", "/sites/needs-depot", {"name": "Depot", "gridLimitAmps": 32, "timeZone": "UTC"})
    assert site.status == 200, site.body
    await api.register_charger(charger_id)
    joined = await api.request("PUT", f"/chargers/{charger_id}", {"siteId": "needs-depot", "maxCurrentAmps": 16})
    assert joined.status == 200, joined.body
    async with connected(runtime, charger_id, OCPP201, charge_point_class=Recording201) as charge_point:
        charge_point.tx_profiles = []
        await boot(charge_point, OCPP201)
        await started(charge_point)
        before = await settled(charge_point)

        assert await notify_needs(charge_point) == "Accepted"

        deadline = time.monotonic() + 30
        while len(charge_point.tx_profiles) == before:
            assert time.monotonic() < deadline, "no TxProfile followed the Accepted charging needs"
            await asyncio.sleep(0.2)
        profile = charge_point.tx_profiles[-1]
        assert profile["transaction_id"] == TRANSACTION
        schedule = profile["charging_schedule"][0]
        assert (schedule["charging_rate_unit"], schedule["charging_schedule_period"][0]["limit"]) == ("A", 16)


async def test_needs_of_a_charger_not_at_a_site_are_rejected(runtime: LocalRuntime, api: OperatorApi) -> None:
    charger_id = "E2E-NEEDS-NO-SITE"
    await api.register_charger(charger_id)
    async with connected(runtime, charger_id, OCPP201, charge_point_class=Recording201) as charge_point:
        charge_point.tx_profiles = []
        await boot(charge_point, OCPP201)
        await started(charge_point)

        assert await notify_needs(charge_point) == "Rejected"
