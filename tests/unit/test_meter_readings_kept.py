"""No meter reading is lost: every different message is kept, a resent one is kept once.

Through the dispatcher, over the in-memory fakes and over the DynamoDB adapters on moto.
"""

from typing import Any

import pytest

from csms.composition import Services
from csms.domain.meter_series import ConnectorSeries, TransactionSeries
from csms.domain.models import MeterReading
from csms.wire.versions import OcppVersion
from tests.unit.stations import Station

T0 = "2026-11-23T09:30:00Z"
T1 = "2026-11-23T09:31:00Z"


def energy16(timestamp: str, value: str) -> dict[str, Any]:
    return {"timestamp": timestamp, "sampledValue": [{"value": value, "measurand": "Energy.Active.Import.Register"}]}


def energy201(timestamp: str, value: float) -> dict[str, Any]:
    return {
        "timestamp": timestamp,
        "sampledValue": [
            {"value": value, "measurand": "Energy.Active.Import.Register", "unitOfMeasure": {"unit": "Wh"}}
        ],
    }


def values(readings: list[MeterReading]) -> list[object]:
    return [sampled["value"] for reading in readings for sampled in reading.sent]


@pytest.fixture
def station16(services_on_each_storage: Services) -> Station:
    return Station(services_on_each_storage, OcppVersion.V16)


@pytest.fixture
def station201(services_on_each_storage: Services) -> Station:
    return Station(services_on_each_storage, OcppVersion.V201, charge_point_id="CS-1")


def test_v16_two_meter_values_with_the_same_first_timestamp_are_both_kept(station16: Station) -> None:
    # When two different MeterValues of transaction 7 begin with the same timestamp
    station16.call("MeterValues", {"connectorId": 1, "transactionId": 7, "meterValue": [energy16(T0, "4200")]})
    station16.call(
        "MeterValues",
        {"connectorId": 1, "transactionId": 7, "meterValue": [energy16(T0, "4200"), energy16(T1, "4300")]},
    )

    # Then the readings of both are kept
    readings = station16.services.repositories.meter_values.list(TransactionSeries("CP-1", "7"))
    assert sorted(values(readings)) == ["4200", "4200", "4300"]


def test_v16_a_resent_meter_values_is_kept_once(station16: Station) -> None:
    payload = {"connectorId": 1, "transactionId": 7, "meterValue": [energy16(T0, "4200")]}

    # When the same MeterValues arrives twice (under two message ids)
    station16.call("MeterValues", payload)
    station16.call("MeterValues", payload)

    # Then its reading is kept once
    assert values(station16.services.repositories.meter_values.list(TransactionSeries("CP-1", "7"))) == ["4200"]


def test_v16_stop_transaction_data_is_kept_beside_meter_values_of_the_same_time(station16: Station) -> None:
    # Given a session with a MeterValues at T0
    start = station16.call("StartTransaction", {"connectorId": 1, "idTag": "TAG", "meterStart": 0, "timestamp": T0})
    transaction_id = start["transactionId"]
    station16.call(
        "MeterValues", {"connectorId": 1, "transactionId": transaction_id, "meterValue": [energy16(T0, "10")]}
    )

    # When it stops with transaction data also beginning at T0, and the stop is resent
    stop = {
        "transactionId": transaction_id,
        "meterStop": 500,
        "timestamp": T1,
        "transactionData": [energy16(T0, "0"), energy16(T1, "500")],
    }
    station16.call("StopTransaction", stop)
    station16.call("StopTransaction", stop)

    # Then both messages' readings are kept, each once
    readings = station16.services.repositories.meter_values.list(TransactionSeries("CP-1", str(transaction_id)))
    assert sorted(values(readings)) == ["0", "10", "500"]


def test_v201_two_meter_values_with_the_same_first_timestamp_are_both_kept(station201: Station) -> None:
    # When an EVSE sends two different MeterValues stamped alike, one of them twice
    first = {"evseId": 1, "meterValue": [energy201(T0, 100)]}
    station201.call("MeterValues", first)
    station201.call("MeterValues", {"evseId": 1, "meterValue": [energy201(T0, 101)]})
    station201.call("MeterValues", first)

    # Then both are kept, each once
    readings = station201.services.repositories.meter_values.list(ConnectorSeries("CS-1", 1))
    assert sorted(values(readings)) == [100, 101]  # type: ignore[type-var]


def test_v201_transaction_events_with_the_same_time_and_seq_no_keep_their_different_readings(
    station201: Station,
) -> None:
    # When a station sends two different Updated events of one transaction with the same time and seqNo
    def updated(value: float) -> dict[str, Any]:
        return {
            "eventType": "Updated",
            "timestamp": T0,
            "triggerReason": "MeterValuePeriodic",
            "seqNo": 3,
            "transactionInfo": {"transactionId": "tx-1"},
            "meterValue": [energy201(T0, value)],
        }

    station201.call("TransactionEvent", updated(100))
    station201.call("TransactionEvent", updated(150))
    station201.call("TransactionEvent", updated(150))  # and resends the second

    # Then the readings of both are kept, each once
    readings = station201.services.repositories.meter_values.list(TransactionSeries("CS-1", "tx-1"))
    assert sorted(values(readings)) == [100, 150]  # type: ignore[type-var]
