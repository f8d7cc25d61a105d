"""Idle time: since when a plugged-in vehicle stopped charging, and its fee.

OCPP 2.0.1 reports it per transaction (chargingState); OCPP 1.6 per connector (StatusNotification),
so both the in-memory fakes and the DynamoDB adapter are run for 1.6.
"""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from csms.billing.invoices import BillingService
from csms.billing.tariffs import Tariff
from csms.domain.models import ConnectorStatus
from csms.domain.transactions import TransactionEvent
from csms.services import Services

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
    transaction, _ = services.transactions.start("CP-1", 1, "TAG-1", 0, minute(0))
    for minutes, status in statuses:
        charge_points.status_changed("CP-1", ConnectorStatus(connector_id=1, status=status, timestamp=minute(minutes)))
    services.transactions.stop("CP-1", transaction.transaction_id, 10_000, minute(stop_at), None, None, [])
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
    transaction, _ = services_v16.transactions.start("CP-1", 1, "TAG-1", 10_000, minute(112))
    services_v16.transactions.stop("CP-1", transaction.transaction_id, 10_000, minute(150), None, None, [])

    stored = services_v16.repositories.transactions.get("CP-1", transaction.transaction_id)
    assert stored is not None
    assert stored.idle_since is None  # suspended since 111, but it never charged in this session


def test_v16_idle_minutes_are_invoiced(services_v16: Services) -> None:
    run_v16(services_v16, (1, "Charging"), (60, "SuspendedEV"))
    transaction = services_v16.repositories.transactions.list()[0]

    invoice = BillingService.invoice_for(transaction, minute(120))

    lines = {line.kind: (line.quantity, line.amount) for line in invoice.lines}
    assert lines["idle"] == (Decimal(20), Decimal("2.00"))  # 60 to 90, 10 minutes' grace
    assert invoice.total == Decimal("5.00")
