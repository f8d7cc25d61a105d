"""The number rule of the operator API: money amounts and energy quantities are JSON strings holding a
decimal number in plain notation, in every resource; counts and ids are JSON numbers (integers); currents and
voltages, neither money nor energy, are JSON numbers with at most one decimal; a fraction (a campaign's
failureThreshold) is a JSON number from 0 to 1; OCPP payloads echoed as sent (meter values' sampledValue, command
payloads) keep their own numbers."""

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from csms.api.app import app
from csms.domain.models import Transaction, TransactionStatus
from csms.domain.tariffs import Tariff
from csms.wire.versions import OcppVersion
from tests.api.conftest import OperatorApi
from tests.wired import WiredServices

DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TARIFF_BODY = {"currency": "EUR", "pricePerKwh": "0.30", "taxRate": "0.19"}
TARIFF = Tariff("default", "EUR", price_per_kwh=Decimal("0.30"), tax_rate=Decimal("0.19"))
# Money and energy, wherever they appear (tariff prices, tax rate and grace minutes are decimal strings too).
DECIMAL_FIELDS = {
    "meterStart",
    "meterStop",
    "energyWh",
    "net",
    "tax",
    "total",
    "amount",
    "quantity",
    "unitPrice",
    "pricePerKwh",
    "pricePerMinute",
    "sessionFee",
    "idleFeePerMinute",
    "idleGraceMinutes",
    "minPrice",
    "maxPrice",
    "taxRate",
    "today",
    "month",
}

# Currents (A) and voltages (V): JSON numbers, the only ones that may have a fraction.
QUANTITY_FIELDS = {
    "gridLimitAmps",
    "voltage",
    "minChargingCurrentAmps",
    "limitAmps",
    "maxCurrentAmps",
    "amps",
    "allocatedAmps",
    "effectiveAmps",
    "measuredAmps",
}

# Fractions from 0 to 1, compared with a share of chargers: JSON numbers.
FRACTION_FIELDS = {"failureThreshold"}


# The overview's charger counts and a campaign's: `total` there is a count.
COUNTS_SCHEMAS, COUNTS_FIELD = {"ChargerCounts", "CampaignCounts"}, "chargers"


def schemas_properties(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for name, schema in document["components"]["schemas"].items():
        for field, spec in schema.get("properties", {}).items():
            yield name, field, spec


def types_of(spec: dict[str, Any]) -> set[str]:
    """The JSON types a property allows (through anyOf, as pydantic writes an optional one)."""
    found = {spec["type"]} if "type" in spec else set()
    for option in spec.get("anyOf", []):
        found |= types_of(option)
    return found


def test_the_document_has_no_binary_floats_and_money_and_energy_are_decimal_strings() -> None:
    document = json.loads(app.get_openapi_json_schema())

    floats = [
        (name, field)
        for name, field, spec in schemas_properties(document)
        if "number" in types_of(spec) and field not in QUANTITY_FIELDS | FRACTION_FIELDS
    ]
    decimals = [
        (name, field, spec)
        for name, field, spec in schemas_properties(document)
        if field in DECIMAL_FIELDS and name not in COUNTS_SCHEMAS
    ]

    assert floats == []
    assert decimals
    for name, field, spec in decimals:
        assert types_of(spec) <= {"string", "null"}, (name, field, spec)


def walk(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in {"sampledValue", "request", "response", "payload", "details", "chargingProfile"}:
                continue  # OCPP payloads, as sent
            if key == COUNTS_FIELD:
                assert all(isinstance(count, int) for count in inner.values()), inner
                continue
            yield from walk(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for inner in value:
            yield from walk(inner, f"{path}[]")
    else:
        yield path, value


def session(services: WiredServices, transaction_id: str, meter_start: str, meter_stop: str | None) -> Transaction:
    """A 2.0.1 session under the default tariff (registers in Wh, as decimals); completed with a stop reading."""
    transactions = services.repositories.transactions
    started = transactions.create_once(
        Transaction(
            "CP-1",
            transaction_id,
            OcppVersion.V201,
            TransactionStatus.ACTIVE,
            T0,
            evse_id=1,
            connector_id=1,
            meter_start=Decimal(meter_start),
            tariff=TARIFF,
        )
    )
    if meter_stop is not None:
        stopped = replace(
            started,
            status=TransactionStatus.COMPLETED,
            stopped_at=T0 + timedelta(minutes=30),
            meter_stop=Decimal(meter_stop),
        )
        assert transactions.complete(stopped)
    return started


def test_every_resource_answers_money_and_energy_as_decimal_strings(api: OperatorApi, services: WiredServices) -> None:
    # Given a tariff, a session of 2500.5 Wh billed under it, and one running
    assert api.request("PUT", "/api/tariffs/default", TARIFF_BODY).status == 200
    ended = session(services, "tx-ended", "1000", "3500.5")
    session(services, "tx-running", "12.25", None)
    [invoice_id] = api.request("POST", "/api/billing/runs").body["invoiced"]
    # and a site with a charger, in amps with a fraction
    assert api.request("PUT", "/api/sites/depot", {"name": "Depot", "gridLimitAmps": "63.5"}).status == 200
    wired = {"password": "correct-horse-battery", "siteId": "depot", "maxCurrentAmps": 16.5}
    assert api.request("PUT", "/api/chargers/CP-1", wired).status == 200

    answers = {
        path: api.get(path).body
        for path in (
            "/api/transactions",
            f"/api/transactions/{ended.transaction_id}",
            "/api/invoices",
            f"/api/invoices/{invoice_id}",
            "/api/tariffs/default",
            "/api/overview",
            "/api/sites/depot",
            "/api/chargers/CP-1",
        )
    }

    transaction = answers[f"/api/transactions/{ended.transaction_id}"]
    assert (transaction["meterStart"], transaction["meterStop"], transaction["energyWh"]) == (
        "1000",
        "3500.5",
        "2500.5",
    )
    assert answers[f"/api/invoices/{invoice_id}"]["energyWh"] == "2500.5"
    assert answers[f"/api/invoices/{invoice_id}"]["total"] == "0.89"
    checked = quantities = 0
    for resource, body in answers.items():
        for path, value in walk(body):
            field = path.rsplit(".", 1)[-1].rstrip("[]")
            if field in DECIMAL_FIELDS and value is not None:
                assert isinstance(value, str), (resource, path, value)
                assert DECIMAL.match(value), (resource, path, value)
                checked += 1
            elif field in QUANTITY_FIELDS:
                assert type(value) in (int, float), (resource, path, value)
                assert round(value, 1) == value, (resource, path, value)
                quantities += 1
            else:
                assert not isinstance(value, float), (resource, path, value)
    assert checked > 20
    assert quantities >= 5
