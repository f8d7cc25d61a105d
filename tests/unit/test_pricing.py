"""Pricing a session under a tariff: every component, bounds, tax and the one rounding."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from csms.domain.money import minor_unit, round_amount
from csms.domain.tariffs import SessionUsage, Tariff, price_session

START = datetime(2026, 11, 23, 22, 30, tzinfo=UTC)
D = Decimal


def usage(energy_wh: str, minutes: float, idle_after: float | None = None) -> SessionUsage:
    return SessionUsage(
        energy_wh=D(energy_wh),
        started_at=START,
        stopped_at=START + timedelta(minutes=minutes),
        idle_since=START + timedelta(minutes=idle_after) if idle_after is not None else None,
    )


# (case, tariff fields, usage, expected net, tax, total, line kinds)
CASES = [
    ("energy only", {"price_per_kwh": "0.30"}, usage("12345", 60), "3.70", "0.00", "3.70", ["energy"]),
    ("time only", {"price_per_minute": "0.04"}, usage("5000", 95), "3.80", "0.00", "3.80", ["time"]),
    ("idle after grace", {"idle_fee_per_minute": "0.10", "idle_grace_minutes": "15"},
     usage("5000", 120, idle_after=60), "4.50", "0.00", "4.50", ["idle"]),
    ("idle within grace is free", {"price_per_kwh": "0.30", "idle_fee_per_minute": "0.10", "idle_grace_minutes": "15"},
     usage("5000", 70, idle_after=60), "1.50", "0.00", "1.50", ["energy", "idle"]),
    ("session fee", {"session_fee": "1.50"}, usage("100", 5), "1.50", "0.00", "1.50", ["sessionFee"]),
    ("minimum price", {"price_per_kwh": "0.30", "min_price": "2.00"}, usage("1000", 10), "2.00", "0.00", "2.00",
     ["energy", "minimumPrice"]),
    ("maximum price", {"price_per_kwh": "0.30", "max_price": "10.00"}, usage("50000", 300), "10.00", "0.00",
     "10.00", ["energy", "maximumPrice"]),
    ("tax", {"price_per_kwh": "0.30", "price_per_minute": "0.05", "session_fee": "1.00", "tax_rate": "0.19"},
     usage("5500", 60), "5.65", "1.07", "6.72", ["energy", "time", "sessionFee", "tax"]),
    ("zero energy costs nothing", {"session_fee": "1.00", "min_price": "2.00"}, usage("0", 30), "0.00", "0.00",
     "0.00", []),
    ("across midnight", {"price_per_minute": "0.02"}, usage("8000", 150), "3.00", "0.00", "3.00", ["time"]),
    ("half a cent rounds up", {"price_per_kwh": "0.5"}, usage("10", 1), "0.01", "0.00", "0.01", ["energy"]),
    ("under half a cent rounds down", {"price_per_kwh": "0.49"}, usage("10", 1), "0.00", "0.00", "0.00",
     ["energy"]),
    ("total rounded once", {"price_per_kwh": "0.333", "tax_rate": "0.2"}, usage("1500", 10), "0.50", "0.10", "0.60",
     ["energy", "tax"]),
    ("yen has no minor unit", {"price_per_kwh": "35", "currency": "JPY"}, usage("7777", 60), "272", "0", "272",
     ["energy"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("fields", "session", "net", "tax", "total", "kinds"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_price(fields: dict[str, str], session: SessionUsage, net: str, tax: str, total: str, kinds: list[str]) -> None:
    currency = fields.pop("currency", "EUR") if "currency" in fields else "EUR"
    tariff = Tariff("t", currency, **{name: D(value) for name, value in fields.items()})
    price = price_session(tariff, session)
    assert (price.net, price.tax, price.total) == (D(net), D(tax), D(total))
    assert [line.kind for line in price.lines] == kinds
    assert price.net + price.tax == price.total


def test_session_across_midnight_counts_the_minutes_on_both_days() -> None:
    session = usage("1000", 150)
    assert session.started_at.date() != session.stopped_at.date()
    assert session.charging_minutes == D(150)


def test_charging_time_stops_when_idling_starts() -> None:
    session = usage("1000", 90, idle_after=60)
    assert (session.charging_minutes, session.idle_minutes) == (D(60), D(30))


def test_line_amounts_are_the_components() -> None:
    tariff = Tariff("t", "EUR", price_per_kwh=D("0.30"), price_per_minute=D("0.05"))
    lines = {line.kind: line for line in price_session(tariff, usage("5500", 60)).lines}
    assert (lines["energy"].quantity, lines["energy"].unit_price, lines["energy"].amount) == (
        D("5.5"),
        D("0.30"),
        D("1.65"),
    )
    assert (lines["time"].quantity, lines["time"].amount) == (D(60), D("3.00"))


@pytest.mark.parametrize(("currency", "digits"), [("EUR", 2), ("usd", 2), ("JPY", 0), ("KWD", 3)])
def test_minor_units(currency: str, digits: int) -> None:
    assert minor_unit(currency) == digits


def test_rounding_is_half_up() -> None:
    assert round_amount(D("0.125"), "EUR") == D("0.13")
    assert round_amount(D("0.135"), "EUR") == D("0.14")
    assert round_amount(D("0.1249"), "EUR") == D("0.12")
