"""/api/tariffs, tariffs of chargers and id tokens, /api/billing/runs and /api/invoices through the handler."""

import csv
import io
from datetime import UTC, datetime

import pytest

from csms.billing.invoices import invoice_id
from csms.composition import Services
from csms.domain.transactions import TransactionStart, TransactionStop
from tests.api.conftest import OperatorApi
from tests.metrics import PublishedMetrics

START = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
STOP = datetime(2026, 3, 1, 11, 0, tzinfo=UTC)


def test_a_tariff_is_stored_as_given_and_listed_in_pages(api: OperatorApi) -> None:
    body = {"currency": "EUR", "pricePerKwh": "0.35", "sessionFee": "1", "minPrice": "2.00", "taxRate": "0.19"}
    response = api.request("PUT", "/api/tariffs/standard", {**body, "displayText": "0.35 EUR/kWh"})

    assert response.status == 200, response.text
    expected = {
        "tariffId": "standard",
        "currency": "EUR",
        "pricePerKwh": "0.35",
        "pricePerMinute": "0",
        "sessionFee": "1",
        "idleFeePerMinute": "0",
        "idleGraceMinutes": "0",
        "minPrice": "2.00",
        "maxPrice": None,
        "taxRate": "0.19",
        "displayText": "0.35 EUR/kWh",
    }
    assert response.body == expected
    assert api.get("/api/tariffs/standard").body == expected
    for n in range(2):
        api.request("PUT", f"/api/tariffs/t{n}", {"currency": "EUR"})
    pages = api.pages("/api/tariffs", limit=2)
    assert sorted(tariff["tariffId"] for page in pages for tariff in page) == ["standard", "t0", "t1"]
    assert api.get("/api/tariffs/nope").status == 404


@pytest.mark.parametrize(
    "body",
    [
        {"currency": "euro"},
        {"currency": "EUR", "pricePerKwh": "-1"},
        {"currency": "EUR", "pricePerKwh": "0.3.5"},
        {"currency": "EUR", "taxRate": "abc"},
        {"pricePerKwh": "0.35"},
    ],
)
def test_a_tariff_with_a_malformed_price_is_refused(api: OperatorApi, body: dict[str, str]) -> None:
    assert api.request("PUT", "/api/tariffs/bad", body).status == 422
    assert api.get("/api/tariffs/bad").status == 404


def test_a_minimum_above_the_maximum_is_refused(api: OperatorApi) -> None:
    response = api.request("PUT", "/api/tariffs/bad", {"currency": "EUR", "minPrice": "5", "maxPrice": "4"})
    assert response.status == 400


def test_chargers_and_id_tokens_refer_to_existing_tariffs_only(api: OperatorApi) -> None:
    assert api.request("PUT", "/api/chargers/CP-1", {"password": "secret-secret", "tariffId": "t"}).status == 400
    assert api.request("PUT", "/api/id-tokens/TAG-1", {"tariffId": "t"}).status == 400
    api.request("PUT", "/api/tariffs/t", {"currency": "EUR"})

    assert api.request("PUT", "/api/chargers/CP-1", {"password": "secret-secret", "tariffId": "t"}).status == 200
    assert api.request("PUT", "/api/id-tokens/TAG-1", {"tariffId": "t"}).status == 200

    assert api.get("/api/chargers/CP-1").body["tariffId"] == "t"
    assert api.get("/api/id-tokens/TAG-1").body["tariffId"] == "t"
    # A later update without a tariff leaves the charger's as it is.
    api.request("PUT", "/api/chargers/CP-1", {"password": "another-secret"})
    assert api.get("/api/chargers/CP-1").body["tariffId"] == "t"


def _complete_session(services: Services, charger: str, tag: str, meter_stop: int) -> str:
    transaction, _ = services.transactions.start(charger, TransactionStart(1, tag, 1000, START))
    services.transactions.stop(charger, TransactionStop(transaction.transaction_id, meter_stop, STOP))
    return transaction.transaction_id


def test_a_billing_run_invoices_to_the_cent_and_the_invoices_can_be_read(api: OperatorApi, services: Services) -> None:
    api.request("PUT", "/api/tariffs/default", {"currency": "EUR", "pricePerKwh": "0.333", "taxRate": "0.19"})
    api.request("PUT", "/api/id-tokens/TAG-1", {"status": "Accepted"})
    transaction_id = _complete_session(services, "CP-1", "TAG-1", 11_000)  # 10 kWh

    run = api.request("POST", "/api/billing/runs")

    expected_id = invoice_id("CP-1", transaction_id)
    assert run.status == 200, run.text
    assert run.body == {"invoiced": [expected_id], "skipped": [], "failed": []}
    invoice = api.get(f"/api/invoices/{expected_id}").body
    assert {key: invoice[key] for key in ("transactionId", "chargerId", "idToken", "currency", "energyWh")} == {
        "transactionId": transaction_id,
        "chargerId": "CP-1",
        "idToken": "TAG-1",
        "currency": "EUR",
        "energyWh": "10000",
    }
    # 10 kWh x 0.333 = 3.33 net; x 1.19 = 3.9627 -> 3.96
    assert (invoice["net"], invoice["tax"], invoice["total"]) == ("3.33", "0.63", "3.96")
    assert invoice["lines"][0] == {"kind": "energy", "quantity": "10", "unitPrice": "0.333", "amount": "3.33"}
    assert (invoice["startedAt"], invoice["stoppedAt"]) == ("2026-03-01T10:00:00Z", "2026-03-01T11:00:00Z")
    assert api.request("POST", "/api/billing/runs").body == {"invoiced": [], "skipped": [], "failed": []}

    assert [i["invoiceId"] for i in api.get("/api/invoices").body["items"]] == [expected_id]
    assert [i["invoiceId"] for i in api.get("/api/invoices", chargerId="CP-1", idToken="TAG-1").body["items"]] == [
        expected_id
    ]
    assert api.get("/api/invoices", transactionId="other").body["items"] == []
    assert api.get("/api/invoices", to="2000-01-01T00:00:00Z").body["items"] == []
    assert api.get("/api/invoices/nope").status == 404


def test_a_session_without_any_tariff_is_skipped_once_and_reported(api: OperatorApi, services: Services) -> None:
    transaction_id = _complete_session(services, "CP-1", "TAG-1", 2000)

    first = api.request("POST", "/api/billing/runs").body

    assert first == {
        "invoiced": [],
        "skipped": [{"chargerId": "CP-1", "transactionId": transaction_id, "reason": "noTariff"}],
        "failed": [],
    }
    assert api.request("POST", "/api/billing/runs").body == {"invoiced": [], "skipped": [], "failed": []}
    assert api.get("/api/invoices").body["items"] == []


def test_a_session_that_cannot_be_priced_fails_alone_and_is_reported_once(
    api: OperatorApi, services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    api.request("PUT", "/api/tariffs/default", {"currency": "EUR", "pricePerKwh": "0.5"})
    normal = _complete_session(services, "CP-1", "TAG-1", 3000)
    absurd = _complete_session(services, "CP-2", "TAG-1", 10**30)
    published = PublishedMetrics(capsys)

    run = api.request("POST", "/api/billing/runs").body

    assert run["invoiced"] == [invoice_id("CP-1", normal)]
    assert [(failed["chargerId"], failed["transactionId"]) for failed in run["failed"]] == [("CP-2", absurd)]
    assert published.total("BillingFailures") == 1
    assert api.request("POST", "/api/billing/runs").body == {"invoiced": [], "skipped": [], "failed": []}


def test_invoices_export_as_csv(api: OperatorApi, services: Services) -> None:
    api.request("PUT", "/api/tariffs/default", {"currency": "EUR", "pricePerKwh": "0.5"})
    _complete_session(services, "CP-1", "TAG-1", 3000)
    api.request("POST", "/api/billing/runs")

    response = api.get("/api/invoices/export.csv", **{"from": "2000-01-01T00:00:00Z"})

    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(row["chargerId"], row["energyWh"], row["total"]) for row in rows] == [("CP-1", "2000", "1.00")]
    empty = api.get("/api/invoices/export.csv", to="2000-01-01T00:00:00Z")
    assert empty.text.splitlines() == [",".join(csv_header(response.text))]


def csv_header(text: str) -> list[str]:
    return next(csv.reader(io.StringIO(text)))
