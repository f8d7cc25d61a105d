"""Idle time: since when a plugged-in vehicle stopped charging, and its fee.

OCPP 2.0.1 reports it per transaction (chargingState); OCPP 1.6 per connector (StatusNotification),
so both the in-memory fakes and the DynamoDB adapter are run for 1.6.
"""

import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csms.billing.invoices import BillingService
from csms.composition import Services
from csms.domain.filters import TransactionFilter
from csms.domain.models import ConnectorStatus
from csms.domain.tariffs import Tariff
from csms.domain.transactions import TransactionEvent, TransactionStart, TransactionStop

START = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
TARIFF = Tariff(
    tariff_id="default",
    currency="EUR",
    price_per_kwh=Decimal("0.30"),
    idle_fee_per_minute=Decimal("0.10"),
    idle_grace_minutes=Decimal(10),
)


def event(event_type: str, minutes: int, seq_no: int, charging_state: str | None = None) -> TransactionEvent:
    return TransactionEvent(
        event_type=event_type,
        timestamp=START + timedelta(minutes=minutes),
        transaction_id="tx-1",
        seq_no=seq_no,
        trigger_reason="ChargingStateChanged",
        id_token="TAG-1" if event_type == "Started" else None,
        charging_state=charging_state,
    )


@pytest.fixture
def services(fake_services: Services) -> Services:
    fake_services.repositories.tariffs.put(TARIFF)
    return fake_services


def run(services: Services, *states: tuple[int, str]) -> datetime | None:
    """Started (EVConnected) at 0, Updated with each (minute, state), Ended at 90: the idle start stored."""
    services.transactions.transaction_event("CP-1", event("Started", 0, 0, "EVConnected"))
    for seq_no, (minutes, state) in enumerate(states, start=1):
        services.transactions.transaction_event("CP-1", event("Updated", minutes, seq_no, state))
    services.transactions.transaction_event("CP-1", event("Ended", 90, 99))
    stored = services.repositories.transactions.get("CP-1", "tx-1")
    assert stored is not None
    return stored.idle_since


def minute(minutes: int) -> datetime:
    return START + timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        ([], None),
        ([(5, "Charging")], None),
        ([(20, "SuspendedEV")], None),  # never charged: waiting, not idle
        ([(5, "Charging"), (60, "SuspendedEV")], minute(60)),
        ([(5, "Charging"), (60, "SuspendedEV"), (70, "EVConnected")], minute(60)),
        ([(5, "Charging"), (40, "SuspendedEVSE"), (50, "Charging"), (75, "EVConnected")], minute(75)),
    ],
)
def test_idle_time_starts_when_charging_stops_after_it_started(
    services: Services, states: list[tuple[int, str]], expected: datetime | None
) -> None:
    assert run(services, *states) == expected


def test_idle_minutes_beyond_the_grace_period_are_invoiced(services: Services) -> None:
    run(services, (5, "Charging"), (60, "SuspendedEV"))
    transaction = services.repositories.transactions.get("CP-1", "tx-1")
    assert transaction is not None
    transaction = replace(transaction, meter_start=Decimal(0), meter_stop=Decimal(10_000))

    invoice = BillingService.invoice_for(transaction, minute(120))

    lines = {line.kind: (line.quantity, line.amount) for line in invoice.lines}
    # 30 idle minutes (60 to 90), 10 of them free: 20 x 0.10
    assert lines["idle"] == (Decimal(20), Decimal("2.00"))
    assert invoice.net == Decimal("5.00")  # 10 kWh x 0.30 + 2.00


@pytest.fixture(params=["fakes", "dynamodb"])
def services_v16(request: pytest.FixtureRequest) -> Services:
    services: Services = request.getfixturevalue("fake_services" if request.param == "fakes" else "dynamodb_services")
    services.repositories.tariffs.put(TARIFF)
    return services


def run_v16(services: Services, *statuses: tuple[int, str], stop_at: int = 90) -> datetime | None:
    """StartTransaction at 0 on connector 1, the StatusNotifications, StopTransaction: the idle start stored."""
    charge_points = services.charge_points
    charge_points.status_changed("CP-1", ConnectorStatus(connector_id=1, status="Preparing", timestamp=minute(-1)))
    transaction, _ = services.transactions.start("CP-1", TransactionStart(1, "TAG-1", 0, minute(0)))
    for minutes, status in statuses:
        charge_points.status_changed("CP-1", ConnectorStatus(connector_id=1, status=status, timestamp=minute(minutes)))
    services.transactions.stop("CP-1", TransactionStop(transaction.transaction_id, 10_000, minute(stop_at)))
    stored = services.repositories.transactions.get("CP-1", transaction.transaction_id)
    assert stored is not None
    return stored.idle_since


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], None),
        ([(1, "Charging")], None),
        ([(1, "SuspendedEV")], None),  # never charged: waiting, not idle
        ([(1, "Charging"), (60, "SuspendedEV")], minute(60)),
        ([(1, "Charging"), (60, "SuspendedEV"), (70, "SuspendedEVSE"), (80, "Finishing")], minute(60)),
        ([(1, "Charging"), (40, "SuspendedEVSE"), (50, "Charging"), (75, "SuspendedEV")], minute(75)),
        ([(1, "Charging"), (40, "SuspendedEV"), (50, "Faulted"), (60, "Charging")], None),
        ([(1, "Charging"), (95, "Finishing")], None),  # after the StopTransaction: not this session's
    ],
)
def test_v16_idle_time_comes_from_the_connector_statuses(
    services_v16: Services, statuses: list[tuple[int, str]], expected: datetime | None
) -> None:
    assert run_v16(services_v16, *statuses) == expected


def test_v16_idle_time_of_an_earlier_session_does_not_carry_over(services_v16: Services) -> None:
    run_v16(services_v16, (1, "Charging"), (60, "SuspendedEV"))
    later = [(100, "Available"), (110, "Preparing"), (111, "SuspendedEV")]
    charge_points = services_v16.charge_points
    for minutes, status in later:
        charge_points.status_changed("CP-1", ConnectorStatus(connector_id=1, status=status, timestamp=minute(minutes)))
    transaction, _ = services_v16.transactions.start("CP-1", TransactionStart(1, "TAG-1", 10_000, minute(112)))
    services_v16.transactions.stop("CP-1", TransactionStop(transaction.transaction_id, 10_000, minute(150)))

    stored = services_v16.repositories.transactions.get("CP-1", transaction.transaction_id)
    assert stored is not None
    assert stored.idle_since is None  # suspended since 111, but it never charged in this session


def test_v16_idle_minutes_are_invoiced(services_v16: Services) -> None:
    run_v16(services_v16, (1, "Charging"), (60, "SuspendedEV"))
    (transaction,) = services_v16.repositories.transactions.page(TransactionFilter(charge_point_id="CP-1"), 10).items

    invoice = BillingService.invoice_for(transaction, minute(120))

    lines = {line.kind: (line.quantity, line.amount) for line in invoice.lines}
    assert lines["idle"] == (Decimal(20), Decimal("2.00"))  # 60 to 90, 10 minutes' grace
    assert invoice.total == Decimal("5.00")


# Statuses and charging states that arrive late ---------------------------------------------------


def idle_fee(services: Services, charge_point_id: str, transaction_id: str) -> Decimal:
    transaction = services.repositories.transactions.get(charge_point_id, transaction_id)
    assert transaction is not None
    # 10 kWh (these sessions report no readings): a session without energy is not priced at all
    invoice = BillingService.invoice_for(
        replace(transaction, meter_start=Decimal(0), meter_stop=Decimal(10_000)), minute(600)
    )
    return sum((line.amount for line in invoice.lines if line.kind == "idle"), Decimal(0))


def test_a_late_suspended_ev_bills_no_idle_time_the_vehicle_did_not_take(services_on_each_storage: Services) -> None:
    # Given a 2.0.1 session that charged from 5, paused at 10 and charged again from 15
    services = services_on_each_storage
    services.repositories.tariffs.put(TARIFF)
    transactions = services.transactions
    transactions.transaction_event("CP-1", event("Started", 0, 0, "EVConnected"))

    # When the pause arrives after the charging resumed, and the session ends at 510
    transactions.transaction_event("CP-1", event("Updated", 5, 1, "Charging"))
    transactions.transaction_event("CP-1", event("Updated", 15, 3, "Charging"))
    transactions.transaction_event("CP-1", event("Updated", 10, 2, "SuspendedEV"))
    transactions.transaction_event("CP-1", event("Ended", 510, 4))

    # Then no idle fee is billed (it was 490 idle minutes, 49 EUR)
    assert idle_fee(services, "CP-1", "tx-1") == Decimal(0)


def test_v16_late_statuses_bill_no_idle_time_the_vehicle_did_not_take(services_v16: Services) -> None:
    # Given a 1.6 session on connector 1 that charged from 1, paused at 10 and charged again from 15
    transaction, _ = services_v16.transactions.start("CP-1", TransactionStart(1, "TAG-1", 0, minute(0)))

    # When the connector's statuses arrive newest first, and the session stops at 510
    for minutes, status in [(15, "Charging"), (1, "Charging"), (10, "SuspendedEV")]:
        services_v16.charge_points.status_changed(
            "CP-1", ConnectorStatus(connector_id=1, status=status, timestamp=minute(minutes))
        )
    services_v16.transactions.stop("CP-1", TransactionStop(transaction.transaction_id, 10_000, minute(510)))

    # Then no idle fee is billed (it was 490 idle minutes, 49 EUR)
    assert idle_fee(services_v16, "CP-1", transaction.transaction_id) == Decimal(0)


station_numbers = itertools.count()
V16_STATUSES = ["Charging", "SuspendedEV", "SuspendedEVSE", "Finishing", "Preparing", "Faulted"]
V201_STATES = ["Charging", "SuspendedEV", "SuspendedEVSE", "EVConnected", "Idle"]


@st.composite
def late_arrivals(draw: st.DrawFn, kinds: list[str]) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Statuses at distinct minutes within a session (0 to 100), in time order and in an arrival order."""
    minutes = sorted(draw(st.sets(st.integers(min_value=1, max_value=99), min_size=1, max_size=6)))
    in_order = [(at, draw(st.sampled_from(kinds))) for at in minutes]
    return in_order, draw(st.permutations(in_order))


def v16_idle_since(services: Services, statuses: list[tuple[int, str]]) -> datetime | None:
    charge_point_id = f"CP-{next(station_numbers)}"
    transaction, _ = services.transactions.start(charge_point_id, TransactionStart(1, "TAG-1", 0, minute(0)))
    for minutes, status in statuses:
        services.charge_points.status_changed(
            charge_point_id, ConnectorStatus(connector_id=1, status=status, timestamp=minute(minutes))
        )
    services.transactions.stop(charge_point_id, TransactionStop(transaction.transaction_id, 10_000, minute(100)))
    stored = services.repositories.transactions.get(charge_point_id, transaction.transaction_id)
    assert stored is not None
    return stored.idle_since


def v201_idle_since(services: Services, states: list[tuple[int, str]]) -> datetime | None:
    charge_point_id = f"CS-{next(station_numbers)}"
    services.transactions.transaction_event(charge_point_id, event("Started", 0, 0, "EVConnected"))
    for seq_no, (minutes, state) in enumerate(states, start=1):
        services.transactions.transaction_event(charge_point_id, event("Updated", minutes, seq_no, state))
    services.transactions.transaction_event(charge_point_id, event("Ended", 100, 99))
    stored = services.repositories.transactions.get(charge_point_id, "tx-1")
    assert stored is not None
    return stored.idle_since


def never_longer(idle_since: datetime | None, in_order: datetime | None) -> bool:
    """Idle time from `idle_since` is none, or no longer than from `in_order`."""
    return idle_since is None or (in_order is not None and idle_since >= in_order)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(statuses=late_arrivals(V16_STATUSES))
def test_v16_late_statuses_never_lengthen_the_idle_time(
    fake_services: Services, statuses: tuple[list[tuple[int, str]], list[tuple[int, str]]]
) -> None:
    in_order, arrived = statuses
    assert never_longer(v16_idle_since(fake_services, arrived), v16_idle_since(fake_services, in_order))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(states=late_arrivals(V201_STATES))
def test_late_charging_states_never_lengthen_the_idle_time(
    fake_services: Services, states: tuple[list[tuple[int, str]], list[tuple[int, str]]]
) -> None:
    in_order, arrived = states
    assert never_longer(v201_idle_since(fake_services, arrived), v201_idle_since(fake_services, in_order))
