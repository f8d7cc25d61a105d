"""/api/overview: chargers, sessions, energy and revenue of today and this month, latest faults and security events."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from csms.domain.models import ConnectorStatus, SentNotification, Transaction, TransactionStatus
from csms.domain.tariffs import Tariff
from csms.wire.versions import OcppVersion
from tests.api.conftest import OperatorApi
from tests.wired import WiredServices

TARIFF = Tariff("default", "EUR", price_per_kwh=Decimal("0.30"), tax_rate=Decimal("0.19"))


def test_the_overview_of_an_empty_network(api: OperatorApi) -> None:
    response = api.get("/api/overview")

    assert response.status == 200, response.text
    assert response.body == {
        "chargers": {"total": 0, "connected": 0, "offline": 0, "faulted": 0},
        "activeSessions": 0,
        "energyWh": {"today": "0", "month": "0"},
        "revenue": [],
        "latestFaults": [],
        "latestSecurityEvents": [],
        "timeZone": "UTC",
    }


def test_the_overview_shows_what_the_network_did_today(api: OperatorApi, services: WiredServices) -> None:
    now = datetime.now(UTC)
    charge_points = services.repositories.charge_points
    # Given a connected charger with a faulted connector, which reported the fault and a security event
    charge_points.record_connected("CP-1", "c-1", OcppVersion.V16, now)
    charge_points.register("CP-2", None, now)
    services.charge_points.status_changed("CP-1", ConnectorStatus(1, "Faulted", now, error_code="GroundFailure"))
    fault = {"connectorId": 1, "errorCode": "GroundFailure", "status": "Faulted"}
    services.charge_points.notified("CP-1", SentNotification("StatusNotification", "m-1", fault))
    services.charge_points.notified(
        "CP-1", SentNotification("SecurityEventNotification", "m-2", {"type": "SettingSystemTime", "timestamp": "t"})
    )
    # And a session of 2.5 kWh that ended now and one still running
    transactions = services.repositories.transactions
    started = now - timedelta(minutes=30)
    ended = transactions.create_once(
        Transaction(
            "CP-1",
            "1",
            OcppVersion.V16,
            TransactionStatus.ACTIVE,
            started,
            connector_id=1,
            meter_start=Decimal(1000),
            tariff=TARIFF,
        )
    )
    transactions.complete(
        replace(
            ended,
            status=TransactionStatus.COMPLETED,
            stopped_at=now,
            meter_stop=Decimal("3500.5"),
        )
    )
    transactions.create_once(Transaction("CP-1", "2", OcppVersion.V16, TransactionStatus.ACTIVE, now, connector_id=2))
    # Billed
    assert api.request("POST", "/api/billing/runs").status == 200

    overview = api.get("/api/overview").body

    assert overview["chargers"] == {"total": 2, "connected": 1, "offline": 1, "faulted": 1}
    assert overview["activeSessions"] == 1
    assert overview["energyWh"] == {"today": "2500.5", "month": "2500.5"}
    assert overview["revenue"] == [{"currency": "EUR", "today": "0.89", "month": "0.89"}]
    assert [(n["kind"], n["summary"]) for n in overview["latestFaults"]] == [
        ("StatusNotification", "Connector 1 Faulted: GroundFailure")
    ]
    assert [n["summary"] for n in overview["latestSecurityEvents"]] == ["Security event SettingSystemTime"]
