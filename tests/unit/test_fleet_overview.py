"""The overview of the network (`FleetOverview`), over the fakes and over DynamoDB on moto alike."""

from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

from csms.billing.overview import Overview, Revenue
from csms.domain.models import ConnectorStatus, FleetCounts, Transaction, TransactionStatus
from csms.domain.tariffs import Tariff
from csms.wire.versions import OcppVersion
from tests.fakes import FixedClock
from tests.wired import WiredServices

EUR = Tariff("eur", "EUR", price_per_kwh=Decimal("0.30"))
CHF = Tariff("chf", "CHF", price_per_kwh=Decimal("0.50"))


def session(
    services: WiredServices, transaction_id: str, ended: datetime | None, energy: int, tariff: Tariff | None = EUR
) -> None:
    """A session of `energy` Wh that ended at `ended` (None: still active)."""
    start = (ended or services.clock.now()) - timedelta(hours=1)
    transactions = services.repositories.transactions
    active = transactions.create_once(
        Transaction(
            charge_point_id="CP-1",
            transaction_id=transaction_id,
            ocpp_version=OcppVersion.V201,
            status=TransactionStatus.ACTIVE,
            started_at=start,
            evse_id=1,
            connector_id=1,
            meter_start=Decimal(0),
            tariff=tariff,
        )
    )
    if ended is not None:
        done = replace(active, status=TransactionStatus.COMPLETED, stopped_at=ended, meter_stop=Decimal(energy))
        assert transactions.complete(done)


def test_the_overview_counts_chargers_sessions_energy_and_revenue_of_today_and_this_month(
    services_on_each_storage: WiredServices, clock: FixedClock
) -> None:
    services = services_on_each_storage
    now = clock.now()  # 2026-11-23 12:00 UTC
    charge_points = services.repositories.charge_points
    # Given three chargers: CP-1 connected with a faulted connector, CP-2 connected, CP-3 only registered
    charge_points.record_connected("CP-1", "c-1", OcppVersion.V201, now)
    charge_points.record_connected("CP-2", "c-2", OcppVersion.V16, now)
    charge_points.register("CP-3", None, now)
    services.charge_points.status_changed("CP-1", ConnectorStatus(1, "Faulted", now, evse_id=1))
    # And sessions: one active; today two in EUR, one in CHF and one without a tariff; earlier this
    # month one in EUR; last month one in EUR
    session(services, "active", None, 0)
    session(services, "t-1", now - timedelta(hours=2), 1500)
    session(services, "t-2", now - timedelta(hours=1), 500)
    session(services, "t-3", now - timedelta(hours=1), 2000, tariff=CHF)
    session(services, "t-4", now - timedelta(hours=1), 700, tariff=None)
    session(services, "m-1", now - timedelta(days=3), 10_000)
    session(services, "old", now - timedelta(days=30), 99_000)
    # Billed, as the schedule does
    services.billing.run()

    overview = services.overview.now()

    assert overview == Overview(
        chargers=FleetCounts(total=3, connected=2, faulted=1),
        active_sessions=1,
        energy_wh_today=Decimal(4700),
        energy_wh_month=Decimal(14_700),
        revenue=[Revenue("CHF", Decimal("1.00"), Decimal("1.00")), Revenue("EUR", Decimal("0.60"), Decimal("3.60"))],
        latest_faults=[],
        latest_security_events=[],
    )


def test_sessions_count_once_billed_and_the_latest_faults_and_security_events_are_shown(
    services_on_each_storage: WiredServices, clock: FixedClock
) -> None:
    services = services_on_each_storage
    now = clock.now()
    session(services, "t-1", now - timedelta(minutes=5), 1500)
    charge_points = services.repositories.charge_points
    for minutes in range(7):
        charge_points.record_notification(
            "CP-1", "StatusNotification", f"f-{minutes}", now + timedelta(minutes=minutes), {"status": "Faulted"}
        )
    charge_points.record_notification("CP-2", "SecurityEventNotification", "s-1", now, {"type": "Tamper"})

    before_billing = services.overview.now()
    services.billing.run()
    billed = services.overview.now()

    assert (before_billing.energy_wh_today, before_billing.revenue) == (Decimal(0), [])
    assert (billed.energy_wh_today, billed.revenue) == (
        Decimal(1500),
        [Revenue("EUR", Decimal("0.45"), Decimal("0.45"))],
    )
    assert [n.message_id for n in billed.latest_faults] == ["f-6", "f-5", "f-4", "f-3", "f-2"]
    assert [(n.charge_point_id, n.message_id) for n in billed.latest_security_events] == [("CP-2", "s-1")]
