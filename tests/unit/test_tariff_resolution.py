"""Which tariff prices a session, and that the session keeps the tariff it started with."""

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from csms.composition import Services
from csms.domain.models import IdToken, IdTokenStatus
from csms.domain.tariffs import Tariff
from csms.domain.transactions import TransactionEvent, TransactionStart, TransactionStop

START = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


def tariff(tariff_id: str, price: str = "0.30") -> Tariff:
    return Tariff(tariff_id=tariff_id, currency="EUR", price_per_kwh=Decimal(price))


@pytest.fixture
def services(fake_services: Services) -> Services:
    repositories = fake_services.repositories
    for tariff_id in ("default", "charger", "group", "token"):
        repositories.tariffs.put(tariff(tariff_id))
    repositories.charge_points.register("CP-1", None, START)
    return fake_services


def started_tariff_id(services: Services, id_tag: str = "TAG-1") -> str | None:
    transaction, _ = services.transactions.start("CP-1", TransactionStart(1, id_tag, 0, START))
    return transaction.tariff.tariff_id if transaction.tariff else None


def set_up(services: Services, *, token: str | None, group: str | None, charger: str | None) -> None:
    repositories = services.repositories
    repositories.id_tokens.put(IdToken("GROUP", IdTokenStatus.ACCEPTED, tariff_id=group))
    repositories.id_tokens.put(IdToken("TAG-1", IdTokenStatus.ACCEPTED, parent_id="GROUP", tariff_id=token))
    if charger:
        repositories.charge_points.register("CP-1", None, START, tariff_id=charger)


@pytest.mark.parametrize(
    ("token", "group", "charger", "expected"),
    [
        ("token", "group", "charger", "token"),
        (None, "group", "charger", "group"),
        (None, None, "charger", "charger"),
        (None, None, None, "default"),
        ("missing", None, "charger", "charger"),  # a tariff id naming no tariff is passed over
    ],
)
def test_the_token_then_its_group_then_the_charger_then_the_default_decides(
    services: Services, token: str | None, group: str | None, charger: str | None, expected: str
) -> None:
    set_up(services, token=token, group=group, charger=charger)

    assert started_tariff_id(services) == expected


def test_an_unknown_token_gets_the_charger_tariff(services: Services) -> None:
    services.repositories.charge_points.register("CP-1", None, START, tariff_id="charger")

    assert started_tariff_id(services, "UNKNOWN") == "charger"


def test_without_a_default_a_session_without_any_tariff_has_none(fake_services: Services) -> None:
    assert started_tariff_id(fake_services) is None


def test_a_session_keeps_the_tariff_it_started_with(services: Services) -> None:
    transaction, _ = services.transactions.start("CP-1", TransactionStart(1, "TAG-1", 0, START))
    services.repositories.tariffs.put(tariff("default", "0.99"))

    services.transactions.stop("CP-1", TransactionStop(transaction.transaction_id, 1000, START.replace(hour=11)))

    stored = services.repositories.transactions.get("CP-1", transaction.transaction_id)
    assert stored is not None
    assert stored.tariff == tariff("default", "0.30")


def test_a_v201_session_resolves_its_tariff_when_started(services: Services) -> None:
    set_up(services, token=None, group="group", charger="charger")
    event = TransactionEvent(
        event_type="Started",
        timestamp=START,
        transaction_id="tx-1",
        seq_no=0,
        trigger_reason="Authorized",
        evse_id=1,
        connector_id=1,
        id_token="TAG-1",
    )

    services.transactions.transaction_event("CP-1", event)
    services.repositories.tariffs.put(tariff("group", "0.99"))
    services.transactions.transaction_event("CP-1", replace(event, event_type="Ended", seq_no=1))

    stored = services.repositories.transactions.get("CP-1", "tx-1")
    assert stored is not None
    assert stored.tariff == tariff("group", "0.30")
