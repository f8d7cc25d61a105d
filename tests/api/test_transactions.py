"""/api/transactions through the handler: newest first in pages, filters, detail with meter values."""

from datetime import UTC, datetime, timedelta
from typing import Any

from csms.composition import Services
from csms.domain.transactions import MeterValues, TransactionStart, TransactionStop
from csms.ocpp.v16 import mappers as v16_mappers
from tests.api.conftest import OperatorApi

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def start(services: Services, charge_point_id: str, minutes: int) -> str:
    transaction, _ = services.transactions.start(
        charge_point_id, TransactionStart(1, "TAG", 1000, T0 + timedelta(minutes=minutes))
    )
    return transaction.transaction_id


def test_transactions_come_newest_first_in_pages(api: OperatorApi, services: Services) -> None:
    ids = [start(services, "CP-1", minutes) for minutes in range(5)]

    pages = api.pages("/api/transactions", limit=2)

    assert [[t["transactionId"] for t in page] for page in pages] == [ids[4:2:-1], ids[2:0:-1], ids[:1]]


def test_transactions_are_filtered_by_charger_and_status(api: OperatorApi, services: Services) -> None:
    first, second, other = start(services, "CP-1", 0), start(services, "CP-1", 10), start(services, "CP-2", 5)
    services.transactions.stop("CP-1", TransactionStop(first, 2000, T0 + timedelta(minutes=5)))

    def ids(**query: str) -> list[str]:
        response = api.get("/api/transactions", **query)
        assert response.status == 200, response.text
        return [t["transactionId"] for t in response.body["items"]]

    assert ids(chargerId="CP-1") == [second, first]
    assert ids(status="Active") == [second, other]
    assert ids(chargerId="CP-1", status="Completed") == [first]
    assert api.get("/api/transactions", status="Paused").status == 422


def record_v16_meter_values(services: Services, transaction_id: str, sampled: list[dict[str, object]]) -> None:
    """A 1.6 MeterValues of connector 1 at T0 + 1 minute, mapped as the charge point's would be."""
    readings = v16_mappers.readings([{"timestamp": "2026-11-23T09:01:00Z", "sampledValue": sampled}])
    services.transactions.meter_values("CP-1", MeterValues(1, tuple(readings), transaction_id))


def test_the_detail_carries_the_meter_values(api: OperatorApi, services: Services) -> None:
    transaction_id = start(services, "CP-1", 0)
    sampled: list[dict[str, object]] = [{"value": "1500", "measurand": "Energy.Active.Import.Register", "unit": "Wh"}]
    record_v16_meter_values(services, transaction_id, sampled)

    response = api.get(f"/api/transactions/{transaction_id}")

    assert response.status == 200
    assert response.body["meterValues"] == [
        {"timestamp": "2026-11-23T09:01:00Z", "sampledValue": sampled, "outOfRange": []}
    ]
    assert api.get("/api/transactions/999").body == {"statusCode": 404, "message": "No transaction 999"}


def test_sampled_values_out_of_range_are_shown_as_sent_and_flagged(api: OperatorApi, services: Services) -> None:
    transaction_id = start(services, "CP-1", 0)
    sampled: list[dict[str, object]] = [
        {"value": "230", "measurand": "Voltage"},
        {"value": "1e30", "measurand": "Energy.Active.Import.Register"},
    ]
    record_v16_meter_values(services, transaction_id, sampled)

    [meter_value] = api.get(f"/api/transactions/{transaction_id}").body["meterValues"]

    assert (meter_value["sampledValue"], meter_value["outOfRange"]) == (sampled, [1])


def test_a_session_billing_could_not_price_shows_why(api: OperatorApi, services: Services) -> None:
    # Given a completed session with a meterStop of 10^30 Wh (the door refuses one now; older data may hold one)
    api.request("PUT", "/api/tariffs/default", {"currency": "EUR", "pricePerKwh": "0.30"})
    transaction_id = start(services, "CP-1", 0)
    services.transactions.stop("CP-1", TransactionStop(transaction_id, 10**30, T0 + timedelta(hours=1)))

    # When billing runs
    [failed] = api.request("POST", "/api/billing/runs").body["failed"]

    # Then the transaction shows the failure, in the list and in the detail
    [listed] = api.get("/api/transactions", chargerId="CP-1").body["items"]
    detail = api.get(f"/api/transactions/{transaction_id}").body
    assert listed["billingError"]["reason"] == failed["reason"]
    assert "10^12 Wh" in failed["reason"]
    assert detail["billingError"] == listed["billingError"]
    assert datetime.fromisoformat(listed["billingError"]["at"]) > T0
    assert listed["costUpdateError"] is None


def test_the_detail_says_what_the_session_costs_so_far(api: OperatorApi, services: Services) -> None:
    # Given a session started before any tariff existed, then the default tariff: 0.30 EUR/kWh, 0.50 a session, 19 % tax
    unpriced = start(services, "CP-3", 0)
    tariff = {"currency": "EUR", "pricePerKwh": "0.30", "sessionFee": "0.50", "taxRate": "0.19"}
    api.request("PUT", "/api/tariffs/default", tariff)
    # and a session running (2.5 kWh since its meterStart of 1000 Wh) and one that ended (10 kWh)
    running, ended = start(services, "CP-1", 0), start(services, "CP-2", 0)
    energy = [{"value": "3500", "measurand": "Energy.Active.Import.Register", "unit": "Wh"}]
    record_v16_meter_values(services, running, energy)
    services.transactions.stop("CP-2", TransactionStop(ended, 11000, T0 + timedelta(hours=1)))

    def cost(transaction_id: str) -> Any:
        return api.get(f"/api/transactions/{transaction_id}").body["cost"]

    # Then each costs what its tariff says, tax included: up to now and its latest reading,
    # (2.5 x 0.30 + 0.50) x 1.19 = 1.4875, or at its end, (10 x 0.30 + 0.50) x 1.19 = 4.165, rounded half up
    so_far = cost(running)
    assert (so_far["currency"], so_far["total"]) == ("EUR", "1.49")
    assert datetime.fromisoformat(so_far["until"]) > T0
    assert cost(ended) == {"currency": "EUR", "total": "4.17", "until": "2026-11-23T10:00:00Z"}
    assert cost(unpriced) is None
