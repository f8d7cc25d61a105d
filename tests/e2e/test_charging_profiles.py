"""The charge points' real profiles end to end: real WebSocket charge points of both versions (the `ocpp`
library's classes) accept SetChargingProfile and ClearChargingProfile and answer GetCompositeSchedule
through the embedded runtime's command workflow; the operator API shows the set they hold, and a
transaction's TxProfile goes when it ends."""

import asyncio
import time
from datetime import UTC, datetime
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
from tests.e2e.charge_points import connected
from tests.e2e.conftest import OperatorApi, module_runtime
from tests.e2e.test_commands import OCPP16, OCPP201, answered, boot, eventually, submit

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

runtime, api, _environment = module_runtime(
    {
        constants.ENV_COMMAND_TIMEOUT_SECONDS: "5",
        constants.ENV_COMMAND_POLL_INTERVAL_SECONDS: "1",
        "POWERTOOLS_METRICS_DISABLED": "true",
    }
)
TAG = "PROFILE-TAG"
SCHEDULE = {"chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16}]}


def now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def composite(duration: int) -> dict[str, Any]:
    """The schedule the charge points answer GetCompositeSchedule with (snake_case, for the `ocpp` library)."""
    return {
        "duration": duration,
        "charging_rate_unit": "A",
        "charging_schedule_period": [{"start_period": 0, "limit": 16}],
    }


class Holding16(ChargePoint16):
    @on("SetChargingProfile")
    async def on_set(self, connector_id: int, cs_charging_profiles: dict[str, Any]) -> Any:
        return result16.SetChargingProfile(status="Accepted")

    @on("ClearChargingProfile")
    async def on_clear(self, **_: Any) -> Any:
        return result16.ClearChargingProfile(status="Accepted")

    @on("GetCompositeSchedule")
    async def on_composite(self, connector_id: int, duration: int, **_: Any) -> Any:
        return result16.GetCompositeSchedule(
            status="Accepted",
            connector_id=connector_id,
            schedule_start="2026-11-23T12:00:00Z",
            charging_schedule=composite(duration),
        )


class Holding201(ChargePoint201):
    @on("SetChargingProfile")
    async def on_set(self, evse_id: int, charging_profile: dict[str, Any], **_: Any) -> Any:
        return result201.SetChargingProfile(status="Accepted")

    @on("ClearChargingProfile")
    async def on_clear(self, **_: Any) -> Any:
        return result201.ClearChargingProfile(status="Accepted")

    @on("GetCompositeSchedule")
    async def on_composite(self, duration: int, evse_id: int, **_: Any) -> Any:
        schedule = {"evse_id": evse_id, "schedule_start": "2026-11-23T12:00:00Z", **composite(duration)}
        return result201.GetCompositeSchedule(status="Accepted", schedule=schedule)


async def accepted(api: OperatorApi, charger_id: str, action: str, payload: dict[str, Any]) -> None:
    command_id = await submit(api, charger_id, "commands", {"action": action, "payload": payload})
    found = await eventually(api, command_id, answered)
    assert found["status"] == "Accepted", found


async def held(api: OperatorApi, charger_id: str) -> list[tuple[int, int, str, str | None]]:
    """(id, connector or EVSE, purpose, transaction) of each profile the API shows the charger holding."""
    response = await api.request("GET", f"/chargers/{charger_id}/charging-profiles")
    assert response.status == 200, response.body
    return [
        (
            p["chargingProfileId"],
            p["connectorId"] if p["evseId"] is None else p["evseId"],
            p["chargingProfilePurpose"],
            p["transactionId"],
        )
        for p in response.body["items"]
    ]


async def until_held(api: OperatorApi, charger_id: str, expected: list[Any], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while (found := await held(api, charger_id)) != expected:
        assert time.monotonic() < deadline, found
        await asyncio.sleep(0.1)


async def test_a_1_6_charger_holds_what_it_accepted_until_cleared_or_its_transaction_ends(
    runtime: Any, api: OperatorApi
) -> None:
    charger_id = "E2E-PROFILES-16"
    await api.register_charger(charger_id)
    await api.register_token(TAG)
    async with connected(runtime, charger_id, OCPP16, charge_point_class=Holding16) as charge_point:
        await boot(charge_point, OCPP16)
        start = call16.StartTransaction(connector_id=1, id_tag=TAG, meter_start=0, timestamp=now())
        transaction_id = (await charge_point.call(start)).transaction_id

        # SetChargingProfile: a default for connector 1, and a TxProfile naming no transaction
        default = {"chargingProfileId": 1, "stackLevel": 0, "chargingProfilePurpose": "TxDefaultProfile"}
        tx_profile = {"chargingProfileId": 2, "stackLevel": 1, "chargingProfilePurpose": "TxProfile"}
        for fields in (default, tx_profile):
            profile = {**fields, "chargingProfileKind": "Relative", "chargingSchedule": SCHEDULE}
            await accepted(api, charger_id, "SetChargingProfile", {"connectorId": 1, "csChargingProfiles": profile})
        await until_held(
            api,
            charger_id,
            [(1, 1, "TxDefaultProfile", None), (2, 1, "TxProfile", str(transaction_id))],
        )

        # GetCompositeSchedule answered within the request
        response = await api.request("GET", f"/chargers/{charger_id}/composite-schedule?connectorId=1&duration=600")
        assert response.status == 200, response.body
        assert (response.body["status"], response.body["response"]) == (
            "Accepted",
            {
                "status": "Accepted",
                "connectorId": 1,
                "scheduleStart": "2026-11-23T12:00:00Z",
                "chargingSchedule": {**SCHEDULE, "duration": 600},
            },
        )

        # ClearChargingProfile by id
        await accepted(api, charger_id, "ClearChargingProfile", {"id": 1})
        await until_held(api, charger_id, [(2, 1, "TxProfile", str(transaction_id))])

        # The transaction ends: its TxProfile is gone
        stop = call16.StopTransaction(transaction_id=transaction_id, meter_stop=500, timestamp=now())
        await charge_point.call(stop)
        await until_held(api, charger_id, [])


async def test_a_2_0_1_charger_holds_what_it_accepted_until_cleared_or_its_transaction_ends(
    runtime: Any, api: OperatorApi
) -> None:
    charger_id = "E2E-PROFILES-201"
    await api.register_charger(charger_id)
    await api.register_token(TAG)
    async with connected(runtime, charger_id, OCPP201, charge_point_class=Holding201) as charge_point:
        await boot(charge_point, OCPP201)
        event = {
            "timestamp": now(),
            "trigger_reason": "Authorized",
            "transaction_info": {"transaction_id": "e2e-tx-1"},
            "evse": {"id": 1, "connector_id": 1},
        }
        await charge_point.call(call201.TransactionEvent(event_type="Started", seq_no=0, **event))

        # SetChargingProfile: a station-wide maximum, and the transaction's TxProfile on EVSE 1
        schedule = [{"id": 1, "startSchedule": now(), **SCHEDULE}]
        maximum = {"id": 10, "chargingProfilePurpose": "ChargingStationMaxProfile", "stackLevel": 0}
        tx_profile = {"id": 11, "chargingProfilePurpose": "TxProfile", "stackLevel": 0, "transactionId": "e2e-tx-1"}
        for evse_id, fields in ((0, maximum), (1, tx_profile)):
            profile = {**fields, "chargingProfileKind": "Absolute", "chargingSchedule": schedule}
            await accepted(api, charger_id, "SetChargingProfile", {"evseId": evse_id, "chargingProfile": profile})
        await until_held(
            api, charger_id, [(10, 0, "ChargingStationMaxProfile", None), (11, 1, "TxProfile", "e2e-tx-1")]
        )

        # GetCompositeSchedule answered within the request
        response = await api.request("GET", f"/chargers/{charger_id}/composite-schedule?evseId=1&duration=900")
        assert response.status == 200, response.body
        assert response.body["response"]["schedule"] == {
            "evseId": 1,
            "duration": 900,
            "scheduleStart": "2026-11-23T12:00:00Z",
            "chargingRateUnit": "A",
            "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16}],
        }

        # ClearChargingProfile by criteria
        criteria = {"chargingProfileCriteria": {"evseId": 0, "chargingProfilePurpose": "ChargingStationMaxProfile"}}
        await accepted(api, charger_id, "ClearChargingProfile", criteria)
        await until_held(api, charger_id, [(11, 1, "TxProfile", "e2e-tx-1")])

        # The transaction ends: its TxProfile is gone
        await charge_point.call(
            call201.TransactionEvent(event_type="Ended", seq_no=1, **{**event, "trigger_reason": "EVDeparted"})
        )
        await until_held(api, charger_id, [])
