"""Billing end to end: tariffs set through the API, an OCPP 1.6 and a 2.0.1 session, a billing run."""

import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta
from urllib.request import Request, urlopen

import pytest
from ocpp.v16 import call as call16
from ocpp.v201 import call as call201

from csms.local.runtime import LocalRuntime, running_runtime
from tests.e2e.charge_points import connected
from tests.e2e.conftest import PASSWORD, OperatorApi

pytestmark = pytest.mark.e2e

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def at(minutes: int) -> str:
    return (START + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


def energy(minutes: int, wh: int, context: str) -> list[dict[str, object]]:
    return [
        {
            "timestamp": at(minutes),
            "sampled_value": [{"value": wh, "measurand": "Energy.Active.Import.Register", "context": context}],
        }
    ]


async def put(api: OperatorApi, path: str, body: dict[str, object]) -> None:
    response = await api.request("PUT", path, body)
    assert response.status == 200, response.body


async def run_sessions(runtime: LocalRuntime, api: OperatorApi) -> list[float | None]:
    """CP-16 (charger tariff "ac"): 7.5 kWh in 60 min. CS-201, token of group FLEET ("fleet"): 5.5 kWh in 60 min.

    Returns the `totalCost` of CS-201's TransactionEvent responses (Started, Updated, Ended).
    """
    total_costs: list[float | None] = []
    await put(api, "/tariffs/default", {"currency": "EUR", "pricePerKwh": "9.99"})
    await put(api, "/tariffs/ac", {"currency": "EUR", "pricePerKwh": "0.40", "sessionFee": "0.50", "taxRate": "0.19"})
    await put(
        api,
        "/tariffs/fleet",
        {"currency": "EUR", "pricePerKwh": "0.30", "pricePerMinute": "0.01", "minPrice": "1", "taxRate": "0.2"},
    )
    await put(api, "/chargers/CP-16", {"password": PASSWORD, "tariffId": "ac"})
    await put(api, "/chargers/CS-201", {"password": PASSWORD, "tariffId": "ac"})
    await api.register_token("TAG-16")
    await api.register_token("FLEET", tariffId="fleet")
    await api.register_token("TAG-201", parentId="FLEET")

    async with connected(runtime, "CP-16", "ocpp1.6") as charge_point:
        await charge_point.call(call16.BootNotification(charge_point_vendor="Acme", charge_point_model="AC-22"))
        start = await charge_point.call(
            call16.StartTransaction(connector_id=1, id_tag="TAG-16", meter_start=1000, timestamp=at(0))
        )
        # Changed while the session runs: the session keeps the tariff it started with.
        await put(api, "/tariffs/ac", {"currency": "EUR", "pricePerKwh": "5"})
        await charge_point.call(
            call16.StopTransaction(meter_stop=8500, timestamp=at(60), transaction_id=start.transaction_id)
        )

    async with connected(runtime, "CS-201", "ocpp2.0.1") as station:
        await station.call(
            call201.BootNotification(charging_station={"vendor_name": "Acme", "model": "DC-50"}, reason="PowerUp")
        )
        for event_type, minutes, wh, seq_no, context in (
            ("Started", 0, 1000, 0, "Transaction.Begin"),
            ("Updated", 30, 3500, 1, "Sample.Periodic"),
            ("Ended", 60, 6500, 2, "Transaction.End"),
        ):
            response = await station.call(
                call201.TransactionEvent(
                    event_type=event_type,
                    timestamp=at(minutes),
                    trigger_reason="Authorized" if event_type == "Started" else "EVCommunicationLost",
                    seq_no=seq_no,
                    transaction_info={"transaction_id": "tx-201"},
                    id_token={"id_token": "TAG-201", "type": "ISO14443"} if event_type == "Started" else None,
                    evse={"id": 1, "connector_id": 1},
                    meter_value=energy(minutes, wh, context),
                )
            )
            total_costs.append(response.total_cost)
    return total_costs


def summary(invoice: dict[str, object]) -> tuple[object, ...]:
    return tuple(invoice[key] for key in ("chargerId", "idToken", "energyWh", "currency", "net", "tax", "total"))


async def test_sessions_of_both_versions_are_invoiced_to_the_cent(runtime: LocalRuntime, api: OperatorApi) -> None:
    total_costs = await run_sessions(runtime, api)

    # The 2.0.1 station saw its running cost: after 30 min and 2.5 kWh, (0.75 + 0.30) x 1.2 = 1.26
    assert total_costs == [None, 1.26, 2.70]

    run = await api.request("POST", "/billing/runs")
    replay = await api.request("POST", "/billing/runs")

    assert run.status == 200, run.body
    assert (len(run.body["invoiced"]), run.body["skipped"]) == (2, [])
    assert replay.body == {"invoiced": [], "skipped": [], "failed": []}
    invoices = {}
    for invoice_id in run.body["invoiced"]:
        invoice = (await api.request("GET", f"/invoices/{invoice_id}")).body
        invoices[invoice["chargerId"]] = invoice
    # 7.5 kWh x 0.40 + 0.50 = 3.50 net; x 1.19 = 4.165 -> 4.17 (half up)
    assert summary(invoices["CP-16"]) == ("CP-16", "TAG-16", "7500", "EUR", "3.50", "0.67", "4.17")
    assert [line["kind"] for line in invoices["CP-16"]["lines"]] == ["energy", "sessionFee", "tax"]
    # The group's tariff wins over the charger's: 5.5 kWh x 0.30 + 60 min x 0.01 = 2.25 net; x 1.2 = 2.70
    assert summary(invoices["CS-201"]) == ("CS-201", "TAG-201", "5500", "EUR", "2.25", "0.45", "2.70")
    assert [line["kind"] for line in invoices["CS-201"]["lines"]] == ["energy", "time", "tax"]
    assert (invoices["CS-201"]["startedAt"], invoices["CS-201"]["stoppedAt"]) == (at(0), at(60))

    # The CSV export through the local HTTP API
    status, content_type, text = await asyncio.to_thread(export_csv, runtime)
    assert (status, content_type.split(";")[0]) == (200, "text/csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted((row["chargerId"], row["total"]) for row in rows) == [("CP-16", "4.17"), ("CS-201", "2.70")]


def export_csv(runtime: LocalRuntime) -> tuple[int, str, str]:
    request = Request(  # noqa: S310 - loopback
        f"{runtime.api_url}/invoices/export.csv?from=2000-01-01T00:00:00Z",
        headers={"Authorization": f"Bearer {runtime.token}"},
    )
    with urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        return response.status, response.headers["Content-Type"], response.read().decode()


async def test_the_runtime_runs_billing_on_its_own_schedule() -> None:
    async with running_runtime(
        port=0, billing_interval_seconds=0.2, extra_env={"POWERTOOLS_METRICS_DISABLED": "true"}
    ) as runtime:
        api = OperatorApi(runtime)
        await run_sessions(runtime, api)

        for _ in range(100):
            invoices = (await api.request("GET", "/invoices")).body["items"]
            if len(invoices) == 2:
                break
            await asyncio.sleep(0.1)

        assert sorted(invoice["total"] for invoice in invoices) == ["2.70", "4.17"]
        assert runtime.schedules["billing_run"].invocations >= 1
