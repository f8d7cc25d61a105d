"""OCPP 2.0.1 TariffAndCost: totalCost in TransactionEventResponse, the tariff text on the charger
(SetDisplayMessage) when a session starts, and CostUpdated during long sessions.

Replies go through the dispatcher and are checked against the official schemas (`Station.call`);
commands are checked as submitted to the command workflow, whose own tests cover the sending.
"""

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from csms.billing.cost_updates import CostUpdateRun
from csms.billing.tariff_display import display_message_id
from csms.commands.models import Command
from csms.composition import Services
from csms.domain.configuration_variables import ConfigurationVariable
from csms.domain.tariffs import Tariff
from csms.wire.versions import OcppVersion
from tests.fakes import FixedClock, RecordingWorkflows
from tests.unit.stations import Station

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TEXT = "0.30 EUR/kWh, parking 0.10 EUR/min after 10 min"
TARIFF = Tariff(tariff_id="default", currency="EUR", price_per_kwh=Decimal("0.30"), display_text=TEXT)
INTERVAL = timedelta(minutes=15)  # the settings' default cost update interval


def at(minutes: float) -> str:
    return (START + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


def event(event_type: str, seq_no: int, minutes: float, energy_wh: int | None, **fields: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "eventType": event_type,
        "timestamp": at(minutes),
        "triggerReason": "MeterValuePeriodic",
        "seqNo": seq_no,
        "transactionInfo": {"transactionId": fields.pop("transaction_id", "tx-1")},
        "evse": {"id": 1, "connectorId": 1},
        **fields,
    }
    if energy_wh is not None:
        payload["meterValue"] = [
            {
                "timestamp": at(minutes),
                "sampledValue": [{"value": energy_wh, "measurand": "Energy.Active.Import.Register"}],
            }
        ]
    return payload


def commands(services: Services, action: str) -> list[Command]:
    """The commands of `action` submitted to any charger."""
    return [
        command
        for charge_point in services.repositories.charge_points.list()
        for command in services.commands.list_for_charge_point(charge_point.charge_point_id, 100).items
        if command.action == action
    ]


@pytest.fixture
def services(fake_services: Services, clock: FixedClock) -> Services:
    fake_services.repositories.tariffs.put(TARIFF)
    clock.current = START
    for charge_point_id, version in (("CS-1", OcppVersion.V201), ("CP-16", OcppVersion.V16)):
        fake_services.charge_points.connected(charge_point_id, f"conn-{charge_point_id}", version)
    return fake_services


@pytest.fixture
def station(services: Services) -> Station:
    return Station(services, OcppVersion.V201, charge_point_id="CS-1")


# totalCost ------------------------------------------------------------------------------------


def test_updated_and_ended_carry_the_cost_so_far_and_the_final_cost(station: Station) -> None:
    assert "totalCost" not in station.call("TransactionEvent", event("Started", 0, 0, 1000))

    updated = station.call("TransactionEvent", event("Updated", 1, 30, 5000))
    ended = station.call("TransactionEvent", event("Ended", 2, 60, 11_000))
    resent = station.call("TransactionEvent", event("Ended", 2, 60, 11_000))

    assert updated["totalCost"] == pytest.approx(1.20)  # 4 kWh x 0.30
    assert ended["totalCost"] == pytest.approx(3.00)  # 10 kWh x 0.30
    assert resent["totalCost"] == pytest.approx(3.00)


def test_without_a_tariff_no_cost_is_given(fake_services: Services) -> None:
    station = Station(fake_services, OcppVersion.V201, charge_point_id="CS-1")
    station.call("TransactionEvent", event("Started", 0, 0, 1000))

    assert "totalCost" not in station.call("TransactionEvent", event("Updated", 1, 30, 5000))
    assert "totalCost" not in station.call("TransactionEvent", event("Ended", 2, 60, 11_000))


def test_a_session_its_tariff_cannot_price_is_recorded_without_a_cost(fake_services: Services) -> None:
    # Prices within the API's limits, but 10^9 kWh x 10^12 x (1 + 10^12) has 34 digits
    extreme = Tariff("extreme", "EUR", price_per_kwh=Decimal(10**12 - 1), tax_rate=Decimal(10**12 - 1))
    fake_services.repositories.tariffs.put(replace(extreme, tariff_id="default"))
    station = Station(fake_services, OcppVersion.V201, charge_point_id="CS-1")
    station.call("TransactionEvent", event("Started", 0, 0, 0))

    assert "totalCost" not in station.call("TransactionEvent", event("Updated", 1, 30, 10**12))
    assert "totalCost" not in station.call("TransactionEvent", event("Ended", 2, 60, 10**12))

    transaction = fake_services.repositories.transactions.get("CS-1", "tx-1")
    assert transaction is not None
    assert transaction.energy_wh == 10**12
    [failed] = fake_services.billing.run().failed
    assert "cannot be priced" in failed.reason


# SetDisplayMessage ----------------------------------------------------------------------------


def test_a_started_session_shows_its_tariff_text_for_the_transaction(station: Station, services: Services) -> None:
    station.call("TransactionEvent", event("Started", 0, 0, 1000))

    [command] = commands(services, "SetDisplayMessage")
    assert command.charge_point_id == "CS-1"
    assert command.request == {
        "message": {
            "id": display_message_id("tx-1"),
            "priority": "InFront",
            "message": {"format": "UTF8", "content": TEXT},
            "transactionId": "tx-1",
        }
    }


def test_a_resent_started_replaces_the_same_message(station: Station, services: Services) -> None:
    station.call("TransactionEvent", event("Started", 0, 0, 1000))
    station.call("TransactionEvent", event("Started", 0, 0, 1000))
    station.call("TransactionEvent", event("Started", 0, 1, 1000, transaction_id="tx-2"))

    ids = Counter(command.request["message"]["id"] for command in commands(services, "SetDisplayMessage"))
    assert ids == {display_message_id("tx-1"): 2, display_message_id("tx-2"): 1}
    assert display_message_id("tx-1") != display_message_id("tx-2")


def test_no_message_without_a_text_or_for_ocpp_16(services: Services) -> None:
    services.repositories.tariffs.put(Tariff(tariff_id="plain", currency="EUR", price_per_kwh=Decimal("0.30")))
    services.repositories.charge_points.register("CS-2", None, START, tariff_id="plain")
    services.charge_points.connected("CS-2", "conn-CS-2", OcppVersion.V201)
    Station(services, OcppVersion.V201, charge_point_id="CS-2").call("TransactionEvent", event("Started", 0, 0, 1000))
    Station(services, OcppVersion.V16, charge_point_id="CP-16").call(
        "StartTransaction", {"connectorId": 1, "idTag": "TAG", "meterStart": 0, "timestamp": at(0)}
    )

    assert commands(services, "SetDisplayMessage") == []


def test_a_message_that_cannot_be_sent_does_not_fail_the_transaction_event(
    station: Station, services: Services, workflows: RecordingWorkflows, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unavailable(name: str, execution_input: dict[str, Any]) -> str:
        raise ConnectionError("Step Functions is unavailable")

    monkeypatch.setattr(workflows, "start", unavailable)

    assert station.call("TransactionEvent", event("Started", 0, 0, 1000)) == {}
    assert services.repositories.transactions.get("CS-1", "tx-1") is not None
    [command] = commands(services, "SetDisplayMessage")
    assert command.error is not None
    assert command.error.code == "NotStarted"


# CostUpdated ----------------------------------------------------------------------------------


@pytest.fixture(params=["fakes", "dynamodb"])
def running(request: pytest.FixtureRequest, clock: FixedClock) -> Services:
    """Services with a 2.0.1 session at 1000 Wh since START, 5000 Wh at 20 minutes."""
    services: Services = request.getfixturevalue("fake_services" if request.param == "fakes" else "dynamodb_services")
    services.repositories.tariffs.put(TARIFF)
    clock.current = START
    services.charge_points.connected("CS-1", "conn-1", OcppVersion.V201)
    station = Station(services, OcppVersion.V201, charge_point_id="CS-1")
    station.call("TransactionEvent", event("Started", 0, 0, 1000))
    station.call("TransactionEvent", event("Updated", 1, 20, 5000))
    return services


def test_a_long_session_is_sent_its_cost_so_far(running: Services, clock: FixedClock) -> None:
    clock.current = START + timedelta(minutes=25)

    [update] = running.cost_updates.run().sent

    assert (update.charge_point_id, update.transaction_id, update.total_cost) == ("CS-1", "tx-1", Decimal("1.20"))
    command = running.commands.get(update.command_id)
    assert command is not None
    assert (command.action, command.request) == ("CostUpdated", {"totalCost": 1.2, "transactionId": "tx-1"})


def test_a_session_younger_than_the_interval_waits(running: Services, clock: FixedClock) -> None:
    clock.current = START + INTERVAL - timedelta(seconds=1)

    assert running.cost_updates.run() == CostUpdateRun()


def test_a_disconnected_charger_is_skipped(running: Services, clock: FixedClock) -> None:
    clock.current = START + timedelta(minutes=25)
    running.charge_points.disconnected("conn-1", "CS-1")

    assert running.cost_updates.run() == CostUpdateRun()


@pytest.mark.parametrize(
    ("variable", "value", "sent"), [("Enabled", "false", 0), ("Available", "False", 0), ("Enabled", "true", 1)]
)
def test_a_charger_whose_device_model_shows_no_cost_is_skipped(
    running: Services, clock: FixedClock, variable: str, value: str, sent: int
) -> None:
    clock.current = START + timedelta(minutes=25)
    reported = ConfigurationVariable(variable, "TariffCostCtrlr", variable_instance="Cost", value=value)
    running.repositories.configuration.put("CS-1", [reported])

    assert len(running.cost_updates.run().sent) == sent


def test_an_ended_session_gets_no_more_updates(running: Services, clock: FixedClock) -> None:
    Station(running, OcppVersion.V201, charge_point_id="CS-1").call("TransactionEvent", event("Ended", 2, 30, 6000))
    clock.current = START + timedelta(minutes=45)

    assert running.cost_updates.run() == CostUpdateRun()


def test_a_session_without_an_energy_reading_is_skipped(fake_services: Services, clock: FixedClock) -> None:
    fake_services.repositories.tariffs.put(TARIFF)
    clock.current = START
    fake_services.charge_points.connected("CS-1", "conn-1", OcppVersion.V201)
    Station(fake_services, OcppVersion.V201, charge_point_id="CS-1").call(
        "TransactionEvent", event("Started", 0, 0, None)
    )
    clock.current = START + timedelta(minutes=30)

    assert fake_services.cost_updates.run() == CostUpdateRun()
