"""`csms simulate` against the embedded runtime: a mixed fleet registers itself, charges sessions
with meter values, answers remote commands (a reset reconnects and boots again) and meets no
CALLERROR and no invalid answer."""

import asyncio
import time
from decimal import Decimal
from typing import Any

from csms.local.runtime import LocalRuntime
from csms.simulator.fleet import simulate
from csms.simulator.options import SimulationOptions
from tests.e2e.conftest import OperatorApi


async def until(check: Any, timeout: float = 15) -> Any:
    deadline = time.monotonic() + timeout
    while not (found := await check()):
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.3)
    return found


async def no_active_sessions(api: OperatorApi) -> bool:
    return (await api.request("GET", "/transactions?status=Active")).body["items"] == []


async def booted_charger(api: OperatorApi, charger_id: str) -> dict[str, Any] | None:
    """The charger's record once it is connected and has booted."""
    response = await api.request("GET", f"/chargers/{charger_id}")
    booted = response.status == 200 and response.body["connected"] and response.body["lastBoot"]
    return response.body if booted else None


TEN_AMPS_PROFILE = {
    "connectorId": 0,
    "csChargingProfiles": {
        "chargingProfileId": 1,
        "stackLevel": 0,
        "chargingProfilePurpose": "TxDefaultProfile",
        "chargingProfileKind": "Relative",
        "chargingSchedule": {"chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 10}]},
    },
}


async def reset(api: OperatorApi, charger_id: str, kind: str) -> str:
    response = await api.request("POST", f"/chargers/{charger_id}/reset", {"type": kind})
    assert response.status == 202, response.body
    command_id: str = response.body["commandId"]
    return command_id


async def submit(api: OperatorApi, charger_id: str, command: dict[str, Any]) -> str:
    response = await api.request("POST", f"/chargers/{charger_id}/commands", command)
    assert response.status == 202, response.body
    command_id: str = response.body["commandId"]
    return command_id


async def answer_to(api: OperatorApi, command_id: str) -> dict[str, Any] | None:
    answer: dict[str, Any] | None = (await api.request("GET", f"/commands/{command_id}")).body.get("response")
    return answer


async def test_a_mixed_fleet_charges_without_errors_and_answers_resets(runtime: LocalRuntime, api: OperatorApi) -> None:
    options = SimulationOptions(
        url=runtime.ws_url,
        chargers=12,
        ocpp="mixed",
        connectors=2,
        duration_seconds=20,
        meter_interval_seconds=1,
        session_minutes=(0.03, 0.06),
        api_url=runtime.api_url,
        api_token=runtime.token,
        summary_interval_seconds=2,
    )
    report: list[str] = []
    fleet = asyncio.create_task(simulate(options, announce=report.append))

    charger16, charger201, limited = options.charger_id(0), options.charger_id(1), options.charger_id(2)  # limited: 1.6
    first_boots = {
        cid: (await until(lambda cid=cid: booted_charger(api, cid)))["lastBoot"]
        for cid in (charger16, charger201, limited)
    }
    await asyncio.sleep(1)
    commands = [
        await submit(api, limited, {"action": "SetChargingProfile", "payload": TEN_AMPS_PROFILE}),
        await reset(api, charger16, "soft"),
        await reset(api, charger201, "hard"),
    ]
    answers = [await until(lambda command_id=command_id: answer_to(api, command_id)) for command_id in commands]
    limit_answered_at = (await api.request("GET", f"/commands/{commands[0]}")).body["answeredAt"]
    # Its sessions meter every second: the run goes on long enough for one after the profile.
    limited_currents = await until(lambda: currents_reported_after(api, limited, limit_answered_at), timeout=30)
    rebooted = {
        cid: await until(lambda cid=cid: _booted_after(api, cid, first_boots[cid])) for cid in (charger16, charger201)
    }
    statistics = await fleet

    assert answers == [{"status": "Accepted"}] * 3
    assert all(rebooted.values())
    assert statistics.error_count == 0, "\n".join(report)
    assert statistics.commands_answered["Reset"] == 2
    completed = (await api.request("GET", "/transactions?status=Completed")).body["items"]
    assert {t["ocppVersion"] for t in completed} == {"1.6", "2.0.1"}
    assert sum(Decimal(t["energyWh"] or 0) > 0 for t in completed) > len(completed) / 2, [
        (t["energyWh"], t["stopReason"]) for t in completed
    ]
    # Every session ended: the last ends may still be on their way when the fleet's run returns.
    assert await until(lambda: no_active_sessions(api), timeout=30)
    assert "errors: none" in report[-1]
    assert set(limited_currents) == {10.0}, limited_currents


async def currents_reported_after(api: OperatorApi, charger_id: str, after: str) -> list[float]:
    """The Current.Import values the charger metered after `after` (an OCPP timestamp), in any session."""
    transactions = (await api.request("GET", f"/transactions?chargerId={charger_id}&limit=500")).body["items"]
    currents = []
    for transaction in transactions:
        if transaction["stoppedAt"] is not None and transaction["stoppedAt"] <= after:
            continue
        details = (await api.request("GET", f"/transactions/{transaction['transactionId']}")).body
        currents += [
            float(value["value"])
            for meter_value in details["meterValues"]
            if meter_value["timestamp"] > after
            for value in meter_value["sampledValue"]
            if value.get("measurand") == "Current.Import"
        ]
    return currents


async def _booted_after(api: OperatorApi, charger_id: str, boot: str) -> bool:
    found = await booted_charger(api, charger_id)
    return found is not None and found["lastBoot"] > boot


async def test_chargers_with_remote_sessions_charge_only_what_the_csms_starts(
    runtime: LocalRuntime, api: OperatorApi
) -> None:
    options = SimulationOptions(
        url=runtime.ws_url,
        chargers=2,
        connectors=1,
        duration_seconds=120,
        meter_interval_seconds=1,
        session_minutes=(60, 60),
        api_url=runtime.api_url,
        api_token=runtime.token,
        summary_interval_seconds=120,
        ramp_seconds=0,
        sessions="remote",
    )
    fleet = asyncio.create_task(simulate(options, announce=lambda _: None))
    chargers = [options.charger_id(index) for index in range(options.chargers)]
    for charger_id in chargers:
        await until(lambda charger_id=charger_id: booted_charger(api, charger_id))
        started = await api.request("POST", f"/chargers/{charger_id}/start", {"idToken": "SIM-TAG-01"})
        assert started.status == 202, started.body
        command_id = started.body["commandId"]
        assert await until(lambda command_id=command_id: answer_to(api, command_id)) == {"status": "Accepted"}
    metered = [await until(lambda charger_id=charger_id: metered_session(api, charger_id)) for charger_id in chargers]
    for charger_id, transaction_id in zip(chargers, metered, strict=True):
        stopped = await api.request("POST", f"/chargers/{charger_id}/stop", {"transactionId": transaction_id})
        assert stopped.status == 202, stopped.body
    await until(lambda: no_active_session(api))
    fleet.cancel()

    transactions = (await api.request("GET", "/transactions")).body["items"]
    assert sorted(t["transactionId"] for t in transactions) == sorted(metered)
    assert {t["stopReason"] for t in transactions} == {"Remote"}


async def metered_session(api: OperatorApi, charger_id: str) -> str | None:
    """The charger's active session once it has reported meter values twice."""
    active = (await api.request("GET", f"/transactions?chargerId={charger_id}&status=Active")).body["items"]
    for transaction in active:
        details = (await api.request("GET", f"/transactions/{transaction['transactionId']}")).body
        if len(details["meterValues"]) >= 2:
            transaction_id: str = transaction["transactionId"]
            return transaction_id
    return None


async def no_active_session(api: OperatorApi) -> bool:
    return (await api.request("GET", "/transactions?status=Active")).body["items"] == []
