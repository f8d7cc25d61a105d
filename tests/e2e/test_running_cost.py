"""Running cost end to end, in the embedded runtime over real WebSockets.

A 2.0.1 station sees its tariff text (SetDisplayMessage), its cost so far in the TransactionEvent
responses and in CostUpdated from the schedule, then a billing run invoices the session to the
cent. A 1.6 session's idle time, reported by StatusNotification, is invoiced as well.
"""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from ocpp.routing import on
from ocpp.v16 import call as call16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as result201

from csms.local.runtime import LocalRuntime, running_runtime
from tests.e2e.charge_points import connected
from tests.e2e.conftest import PASSWORD, OperatorApi

pytestmark = pytest.mark.e2e

TEXT = "0.30 EUR/kWh + 0.10 EUR/min parking after 10 min"
# The sessions started 30 minutes ago: long enough for a cost update.
START = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30)


def at(minutes: int) -> str:
    return (START + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


def energy(minutes: int, wh: int) -> list[dict[str, object]]:
    return [{"timestamp": at(minutes), "sampled_value": [{"value": wh, "measurand": "Energy.Active.Import.Register"}]}]


class Station(ChargePoint201):
    """A TariffAndCost station: shows display messages and cost updates (here: records them)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.messages: list[dict[str, Any]] = []
        self.cost_updates: list[tuple[float, str]] = []

    @on("SetDisplayMessage")
    async def on_set_display_message(self, message: dict[str, Any], **_: Any) -> result201.SetDisplayMessage:
        self.messages.append(message)
        return result201.SetDisplayMessage(status="Accepted")

    @on("CostUpdated")
    async def on_cost_updated(self, total_cost: float, transaction_id: str, **_: Any) -> result201.CostUpdated:
        self.cost_updates.append((total_cost, transaction_id))
        return result201.CostUpdated()


async def eventually(condition: Any, what: str, attempts: int = 150) -> None:
    for _ in range(attempts):
        if condition():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"never happened: {what}")


@pytest.fixture
async def scheduled_runtime() -> Any:
    async with running_runtime(
        port=0,
        billing_interval_seconds=0,  # billing is run through the API below
        cost_update_interval_seconds=0.5,
        extra_env={"POWERTOOLS_METRICS_DISABLED": "true"},
    ) as runtime:
        yield runtime


async def set_up(api: OperatorApi) -> None:
    tariff = {
        "currency": "EUR",
        "pricePerKwh": "0.30",
        "idleFeePerMinute": "0.10",
        "idleGraceMinutes": "10",
        "displayText": TEXT,
    }
    assert (await api.request("PUT", "/tariffs/default", tariff)).status == 200
    for charger in ("CS-201", "CP-16"):
        await api.register_charger(charger)
    await api.register_token("TAG")


async def test_a_201_session_shows_its_running_cost_and_is_invoiced(scheduled_runtime: LocalRuntime) -> None:
    runtime = scheduled_runtime
    api = OperatorApi(runtime)
    await set_up(api)

    async with connected(runtime, "CS-201", "ocpp2.0.1", PASSWORD, charge_point_class=Station) as station:
        await station.call(
            call201.BootNotification(charging_station={"vendor_name": "Acme", "model": "DC-50"}, reason="PowerUp")
        )

        def event(event_type: str, seq_no: int, minutes: int, wh: int) -> call201.TransactionEvent:
            return call201.TransactionEvent(
                event_type=event_type,
                timestamp=at(minutes),
                trigger_reason="Authorized" if event_type == "Started" else "MeterValuePeriodic",
                seq_no=seq_no,
                transaction_info={"transaction_id": "tx-1"},
                id_token={"id_token": "TAG", "type": "ISO14443"} if event_type == "Started" else None,
                evse={"id": 1, "connector_id": 1},
                meter_value=energy(minutes, wh),
            )

        started = await station.call(event("Started", 0, 0, 1000))
        updated = await station.call(event("Updated", 1, 25, 4000))

        # The tariff text, for this transaction, and the cost so far from the schedule: 3 kWh x 0.30
        # (a run between Started and Updated may already have sent the cost of the start reading: 0)
        def cost_update_after_updated() -> bool:
            return (pytest.approx(0.90), "tx-1") in station.cost_updates

        await eventually(lambda: station.messages and cost_update_after_updated(), "a display message and 0.90")
        [message] = station.messages
        assert (message["message"]["content"], message["transaction_id"]) == (TEXT, "tx-1")
        assert all(cost in (0, pytest.approx(0.90)) for cost, _ in station.cost_updates), station.cost_updates

        ended = await station.call(event("Ended", 2, 30, 6500))

    assert (started.total_cost, updated.total_cost, ended.total_cost) == (None, pytest.approx(0.90), 1.65)
    run = await api.request("POST", "/billing/runs")
    [invoice_id] = run.body["invoiced"]
    invoice = (await api.request("GET", f"/invoices/{invoice_id}")).body
    # 5.5 kWh x 0.30 = 1.65; no idle time reported
    assert (invoice["energyWh"], invoice["net"], invoice["total"]) == ("5500", "1.65", "1.65")
    assert invoice["total"] == f"{ended.total_cost:.2f}"


async def test_a_16_session_pays_for_its_idle_time(scheduled_runtime: LocalRuntime) -> None:
    runtime = scheduled_runtime
    api = OperatorApi(runtime)
    await set_up(api)

    async with connected(runtime, "CP-16", "ocpp1.6") as charge_point:
        await charge_point.call(call16.BootNotification(charge_point_vendor="Acme", charge_point_model="AC-22"))

        async def status(minutes: int, value: str) -> None:
            await charge_point.call(
                call16.StatusNotification(connector_id=1, error_code="NoError", status=value, timestamp=at(minutes))
            )

        await status(0, "Preparing")
        start = await charge_point.call(
            call16.StartTransaction(connector_id=1, id_tag="TAG", meter_start=1000, timestamp=at(0))
        )
        await status(1, "Charging")
        await status(5, "SuspendedEV")  # full: parked from minute 5
        await charge_point.call(
            call16.StopTransaction(meter_stop=5000, timestamp=at(30), transaction_id=start.transaction_id)
        )
        await status(30, "Finishing")

    run = await api.request("POST", "/billing/runs")
    [invoice_id] = run.body["invoiced"]
    invoice = (await api.request("GET", f"/invoices/{invoice_id}")).body
    lines = {line["kind"]: (line["quantity"], line["amount"]) for line in invoice["lines"]}
    # 4 kWh x 0.30 = 1.20; parked 25 minutes, 10 free: 15 x 0.10 = 1.50
    assert lines["idle"] == ("15", "1.50")
    assert (invoice["net"], invoice["total"]) == ("2.70", "2.70")
