"""Messages repeated, lost or out of order over real WebSockets: no reading lost, the right energy and fees."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from ocpp.v16 import call as call16
from ocpp.v201 import call as call201

from csms.local.runtime import LocalRuntime
from tests.e2e.charge_points import connected
from tests.e2e.conftest import PASSWORD, OperatorApi

pytestmark = pytest.mark.e2e

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def at(minutes: int) -> str:
    return (START + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


def register(minutes: int, wh: int) -> dict[str, Any]:
    return {"timestamp": at(minutes), "sampled_value": [{"value": wh, "measurand": "Energy.Active.Import.Register"}]}


async def put(api: OperatorApi, path: str, body: dict[str, object]) -> None:
    response = await api.request("PUT", path, body)
    assert response.status == 200, response.body


async def test_ocpp16_readings_stamped_alike_are_kept_and_a_session_whose_stop_was_lost_is_billed(
    runtime: LocalRuntime, api: OperatorApi
) -> None:
    # Given a charger, a token and a tariff
    await put(api, "/tariffs/default", {"currency": "EUR", "pricePerKwh": "0.30"})
    await api.register_charger("CP-16")
    await api.register_token("TAG-16")

    async with connected(runtime, "CP-16", "ocpp1.6") as charge_point:
        lost = await charge_point.call(
            call16.StartTransaction(connector_id=1, id_tag="TAG-16", meter_start=1000, timestamp=at(0))
        )
        # When two different MeterValues stamped alike arrive, the first one twice
        reading = {
            "timestamp": at(30),
            "sampled_value": [{"value": "2000", "measurand": "Energy.Active.Import.Register"}],
        }
        energy = call16.MeterValues(connector_id=1, transaction_id=lost.transaction_id, meter_value=[reading])
        current = {"value": "16", "measurand": "Current.Import", "unit": "A"}
        await charge_point.call(energy)
        await charge_point.call(
            call16.MeterValues(
                connector_id=1,
                transaction_id=lost.transaction_id,
                meter_value=[{"timestamp": at(30), "sampled_value": [current]}],
            )
        )
        await charge_point.call(energy)
        # And the session's StopTransaction is lost: the next session starts on connector 1
        await charge_point.call(
            call16.StartTransaction(connector_id=1, id_tag="TAG-16", meter_start=5000, timestamp=at(60))
        )

    # Then both readings are kept, each once
    transaction = (await api.request("GET", f"/transactions/{lost.transaction_id}")).body
    assert sorted(value["sampledValue"][0]["value"] for value in transaction["meterValues"]) == ["16", "2000"]
    # And the lost session ended as the next began, with its meter start
    assert (transaction["status"], transaction["stopReason"], transaction["closedByCsms"]) == (
        "Completed",
        "Other",
        "NewTransaction",
    )
    assert (transaction["stoppedAt"], transaction["meterStop"], transaction["energyWh"]) == (at(60), "5000", "4000")
    # And it is billed: 4 kWh x 0.30
    run = await api.request("POST", "/billing/runs")
    [invoice_id] = run.body["invoiced"]
    invoice = (await api.request("GET", f"/invoices/{invoice_id}")).body
    assert (invoice["transactionId"], invoice["energyWh"], invoice["total"]) == (
        str(lost.transaction_id),
        "4000",
        "1.20",
    )


async def test_ocpp201_events_out_of_order_give_the_right_energy_and_no_idle_fee_not_taken(
    runtime: LocalRuntime, api: OperatorApi
) -> None:
    # Given a station, a token and a tariff with an idle fee
    await put(
        api,
        "/tariffs/default",
        {"currency": "EUR", "pricePerKwh": "0.30", "idleFeePerMinute": "0.10", "idleGraceMinutes": "10"},
    )
    await api.register_charger("CS-201")
    await api.register_token("TAG-201", type="ISO14443")
    id_token = {"id_token": "TAG-201", "type": "ISO14443"}

    def event(event_type: str, transaction_id: str, minutes: int, seq_no: int, **fields: Any) -> Any:
        return call201.TransactionEvent(
            event_type=event_type,
            timestamp=at(minutes),
            trigger_reason="Authorized" if event_type == "Started" else "ChargingStateChanged",
            seq_no=seq_no,
            transaction_info={"transaction_id": transaction_id, **fields.pop("info", {})},
            **fields,
        )

    def started(transaction_id: str, evse_id: int, wh: int, **info: str) -> Any:
        evse = {"id": evse_id, "connector_id": 1}
        return event(
            "Started", transaction_id, 0, 0, id_token=id_token, evse=evse, meter_value=[register(0, wh)], info=info
        )

    async with connected(runtime, "CS-201", "ocpp2.0.1", password=PASSWORD) as station:
        # When a session's Ended arrives before its Started
        await station.call(event("Ended", "tx-1", 60, 2, meter_value=[register(60, 5000)]))
        await station.call(started("tx-1", 1, 1000))
        # And another session's pause at 10 arrives after it charged again from 15
        await station.call(started("tx-2", 2, 0, charging_state="EVConnected"))
        for minutes, seq_no, state in ((5, 1, "Charging"), (15, 3, "Charging"), (10, 2, "SuspendedEV")):
            await station.call(event("Updated", "tx-2", minutes, seq_no, info={"charging_state": state}))
        await station.call(event("Ended", "tx-2", 510, 4, meter_value=[register(510, 10_000)]))

    # Then the first has the energy from its Started to its Ended, and what only Started told
    first = (await api.request("GET", "/transactions/tx-1?chargerId=CS-201")).body
    assert (first["status"], first["meterStart"], first["meterStop"], first["energyWh"]) == (
        "Completed",
        "1000",
        "5000",
        "4000",
    )
    assert (first["startedAt"], first["idToken"], first["evseId"]) == (at(0), "TAG-201", 1)
    # And the second is billed no idle minute (it was 490 minutes, 49 EUR): 10 kWh x 0.30
    run = await api.request("POST", "/billing/runs")
    invoices = [(await api.request("GET", f"/invoices/{invoice_id}")).body for invoice_id in run.body["invoiced"]]
    second = next(invoice for invoice in invoices if invoice["transactionId"] == "tx-2")
    idle = next(line for line in second["lines"] if line["kind"] == "idle")
    assert (idle["quantity"], idle["amount"], second["total"]) == ("0", "0.00", "3.00")
