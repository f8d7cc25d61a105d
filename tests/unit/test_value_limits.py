"""Absurd but schema-valid values from a charge point (OCPP 1.6 and 2.0.1), through the dispatcher.

Meter registers and date-times the CSMS computes with are refused at the door with a CALLERROR
PropertyConstraintViolation, decided before anything is stored. A sampled value out of range is
stored as sent but flagged and never used for energy or cost, so the rest of its message is kept.
Whatever was refused, the next valid message is recorded.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from csms.composition import Services
from csms.domain.meter_series import ConnectorSeries, TransactionSeries
from csms.domain.metering import energy_register_wh, out_of_range
from csms.domain.models import MeterReading, TransactionStatus
from csms.domain.tariffs import Tariff
from csms.ocpp.v16 import mappers as v16_mappers
from csms.ocpp.v201 import mappers as v201_mappers
from csms.wire.versions import OcppVersion
from tests.fakes import FixedClock
from tests.unit.stations import Station, stored_state

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
REGISTER = "Energy.Active.Import.Register"


def at(minutes: float) -> str:
    return (START + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


def start16(**overrides: Any) -> dict[str, Any]:
    return {"connectorId": 1, "idTag": "TAG", "meterStart": 1000, "timestamp": at(0), **overrides}


def stop16(transaction_id: int, **overrides: Any) -> dict[str, Any]:
    return {"transactionId": transaction_id, "meterStop": 8500, "timestamp": at(60), **overrides}


def register(value: object, multiplier: int | None = None) -> dict[str, Any]:
    """A 2.0.1 energy register sampled value."""
    sampled: dict[str, Any] = {"value": value, "measurand": REGISTER}
    if multiplier is not None:
        sampled["unitOfMeasure"] = {"unit": "Wh", "multiplier": multiplier}
    return sampled


def event(event_type: str, seq_no: int, minutes: float, *sampled: dict[str, Any]) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "eventType": event_type,
        "timestamp": at(minutes),
        "triggerReason": "MeterValuePeriodic",
        "seqNo": seq_no,
        "transactionInfo": {"transactionId": "tx-1"},
        "evse": {"id": 1, "connectorId": 1},
    }
    if sampled:
        payload["meterValue"] = [{"timestamp": at(minutes), "sampledValue": list(sampled)}]
    return payload


def refused(station: Station, action: str, payload: dict[str, Any]) -> None:
    """`payload` is answered PropertyConstraintViolation and changes nothing stored.

    Integers beyond 2^53 - 1 never reach the mapping: the wire refuses them first, as numbers OCPP-J
    cannot carry exactly (I-JSON), with the same code.
    """
    before = stored_state(station.services)
    reply = station.call_error(action, payload)
    assert reply[2] == "PropertyConstraintViolation", reply
    assert stored_state(station.services) == before


# Meter registers of OCPP 1.6 ------------------------------------------------------------------


@pytest.mark.parametrize("meter_stop", [10**12 + 1, 2**53 - 1, -1, 10**30])
def test_a_stop_transaction_with_an_absurd_meter_stop_is_refused_and_the_next_one_recorded(
    station16: Station, fake_services: Services, meter_stop: int
) -> None:
    transaction_id = station16.call("StartTransaction", start16())["transactionId"]

    refused(station16, "StopTransaction", stop16(transaction_id, meterStop=meter_stop))

    station16.call("StopTransaction", stop16(transaction_id))
    stored = fake_services.repositories.transactions.get("CP-1", str(transaction_id))
    assert stored is not None
    assert (stored.status, stored.meter_stop, stored.energy_wh) == (TransactionStatus.COMPLETED, 8500, 7500)


@pytest.mark.parametrize("meter_start", [10**12 + 1, -5, 10**40])
def test_a_start_transaction_with_an_absurd_meter_start_is_refused_and_the_next_one_recorded(
    station16: Station, meter_start: int
) -> None:
    refused(station16, "StartTransaction", start16(meterStart=meter_start))

    # Nothing was drawn from the transaction id sequence either
    assert station16.call("StartTransaction", start16())["transactionId"] == 1


def test_registers_up_to_one_terawatt_hour_are_accepted(station16: Station, fake_services: Services) -> None:
    transaction_id = station16.call("StartTransaction", start16(meterStart=0))["transactionId"]
    station16.call("StopTransaction", stop16(transaction_id, meterStop=10**12))

    stored = fake_services.repositories.transactions.get("CP-1", str(transaction_id))
    assert stored is not None
    assert stored.energy_wh == 10**12


# Date-times -----------------------------------------------------------------------------------


@pytest.mark.parametrize("timestamp", ["9999-12-31T23:59:59Z", "2100-01-01T00:00:00Z", "1969-12-31T23:59:59Z"])
def test_a_date_time_outside_sane_years_is_refused(
    station16: Station, station201: Station, fake_services: Services, timestamp: str
) -> None:
    status = {"connectorId": 1, "errorCode": "NoError", "status": "Available", "timestamp": timestamp}
    reading_at = [{"timestamp": timestamp, "sampledValue": [register(1000)]}]

    refused(station16, "StartTransaction", start16(timestamp=timestamp))
    refused(station16, "StatusNotification", status)
    refused(station201, "TransactionEvent", {**event("Started", 0, 0, register(1000)), "timestamp": timestamp})
    refused(station201, "TransactionEvent", {**event("Started", 0, 0), "meterValue": reading_at})

    station16.call("StartTransaction", start16())
    station201.call("TransactionEvent", event("Started", 0, 0, register(1000)))
    assert len(fake_services.repositories.transactions.list()) == 2


def test_an_unset_clock_at_the_unix_epoch_is_accepted(station16: Station, fake_services: Services) -> None:
    station16.call("StartTransaction", start16(timestamp="1970-01-01T00:00:00Z"))

    [stored] = fake_services.repositories.transactions.list()
    assert stored.started_at == datetime(1970, 1, 1, tzinfo=UTC)


# Sampled values: stored, flagged, ignored -----------------------------------------------------


@pytest.fixture
def priced(fake_services: Services, clock: FixedClock) -> Services:
    """A tariff of 0.30 EUR/kWh and a connected 2.0.1 charger CS-1."""
    fake_services.repositories.tariffs.put(Tariff(tariff_id="default", currency="EUR", price_per_kwh=Decimal("0.30")))
    clock.current = START
    fake_services.charge_points.connected("CS-1", "conn-1", OcppVersion.V201)
    return fake_services


def test_an_energy_register_with_multiplier_200_is_kept_flagged_and_ignored(
    priced: Services, clock: FixedClock
) -> None:
    station = Station(priced, OcppVersion.V201, charge_point_id="CS-1")
    station.call("TransactionEvent", event("Started", 0, 0, register(1000)))
    station.call("TransactionEvent", event("Updated", 1, 10, register(3000)))

    # A reading of 5 x 10^200 Wh is answered, without a cost so far, and stored as sent
    assert "totalCost" not in station.call("TransactionEvent", event("Updated", 2, 20, register(5, multiplier=200)))
    stored = priced.repositories.meter_values.list(TransactionSeries("CS-1", "tx-1"))
    assert stored[-1].sent == [register(5, multiplier=200)]
    assert out_of_range(stored[-1]) == [0]

    # The cost update run prices the session from the latest reading in range (2 kWh x 0.30)
    clock.current = START + timedelta(minutes=25)
    [update] = priced.cost_updates.run().sent
    assert update.total_cost == Decimal("0.60")

    # The next valid reading is recorded and used, and the session ends on a reading in range
    assert station.call("TransactionEvent", event("Updated", 3, 30, register(4000)))["totalCost"] == pytest.approx(0.90)
    ended = station.call("TransactionEvent", event("Ended", 4, 40, register(7, multiplier=200)))
    assert ended["totalCost"] == pytest.approx(0.90)
    transaction = priced.repositories.transactions.get("CS-1", "tx-1")
    assert transaction is not None
    assert (transaction.meter_start, transaction.meter_stop) == (1000, 4000)


def test_a_session_started_on_an_absurd_register_starts_from_the_first_reading_in_range(priced: Services) -> None:
    station = Station(priced, OcppVersion.V201, charge_point_id="CS-1")
    station.call("TransactionEvent", event("Started", 0, 0, register(1, multiplier=200)))
    station.call("TransactionEvent", event("Updated", 1, 10, register(1500)))
    station.call("TransactionEvent", event("Ended", 2, 40, register(4500)))

    transaction = priced.repositories.transactions.get("CS-1", "tx-1")
    assert transaction is not None
    assert transaction.energy_wh == 3000


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201])
def test_meter_values_with_an_absurd_value_are_kept_and_the_next_ones_recorded(
    fake_services: Services, version: OcppVersion
) -> None:
    station = Station(fake_services, version)
    v16 = version is OcppVersion.V16
    absurd: dict[str, Any] = {"value": "1e30", "measurand": REGISTER} if v16 else register(5, 200)
    voltage: dict[str, Any] = {"value": "230" if v16 else 230, "measurand": "Voltage"}
    connector = {"connectorId": 1} if v16 else {"evseId": 1}

    station.call("MeterValues", {**connector, "meterValue": [{"timestamp": at(1), "sampledValue": [absurd, voltage]}]})
    station.call("MeterValues", {**connector, "meterValue": [{"timestamp": at(2), "sampledValue": [voltage]}]})

    readings = fake_services.repositories.meter_values.list(ConnectorSeries("CP-1", 1))
    assert [reading.sent for reading in readings] == [[absurd, voltage], [voltage]]
    assert [out_of_range(reading) for reading in readings] == [[0], []]


# The rule, value by value ---------------------------------------------------------------------


def reading(*sampled: dict[str, Any]) -> MeterReading:
    """Sampled values as their version's mapper takes them: 1.6 values are strings, 2.0.1 values numbers."""
    return MeterReading(
        START,
        tuple(
            (v16_mappers if isinstance(value["value"], str) else v201_mappers).sampled_value(value) for value in sampled
        ),
    )


@pytest.mark.parametrize(
    "sampled",
    [
        {"value": "1e30"},  # 1.6: values are strings
        {"value": 10**13},
        {"value": "1000000001", "unit": "kWh"},  # 10^12 Wh + 1 kWh
        {"value": 5, "unitOfMeasure": {"unit": "Wh", "multiplier": 200}},
        {"value": 1000, "unitOfMeasure": {"unit": "Wh", "multiplier": 10}},
        {"value": 0, "unitOfMeasure": {"unit": "Wh", "multiplier": -(10**30)}},
        {"value": -5},  # a register never runs backwards below zero
        {"value": 1e-300},
        {"value": float("nan")},
        {"value": float("inf")},
        {"value": "NaN"},
        {"value": "-Infinity"},
    ],
)
def test_an_energy_register_out_of_range_is_flagged_and_never_read(sampled: dict[str, object]) -> None:
    sampled = {**sampled, "measurand": REGISTER}

    assert out_of_range(reading(sampled)) == [0]
    assert energy_register_wh([reading(sampled)]) is None


@pytest.mark.parametrize(
    ("sampled", "wh"),
    [
        ({"value": 10**12}, Decimal(10**12)),
        ({"value": "1000000000", "unit": "kWh"}, Decimal(10**12)),
        ({"value": 1, "unitOfMeasure": {"unit": "Wh", "multiplier": 9}}, Decimal(10**9)),
        ({"value": 0}, Decimal(0)),
        ({"value": 0.1 + 0.2, "unitOfMeasure": {"unit": "kWh"}}, Decimal("300.00000000000004")),  # float noise
    ],
)
def test_an_energy_register_in_range_is_read(sampled: dict[str, object], wh: Decimal) -> None:
    sampled = {**sampled, "measurand": REGISTER}

    assert out_of_range(reading(sampled)) == []
    assert energy_register_wh([reading(sampled)]) == wh


def test_other_measurands_are_flagged_by_magnitude_and_signed_data_is_not_a_number() -> None:
    values = reading(
        {"value": "-32.5", "measurand": "Current.Import"},  # negative is fine for other measurands
        {"value": 1e30, "measurand": "Voltage"},
        {"value": float("nan"), "measurand": "Power.Active.Import"},
        {"value": "3045022100ab", "measurand": REGISTER, "format": "SignedData"},
    )

    assert out_of_range(values) == [1, 2]
