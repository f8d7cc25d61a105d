"""OCPP 2.0.1 mappers, table by table: a payload (as the dispatcher turns it into the library's request) -> domain
input, nested parts included, and domain results -> response payloads."""

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from ocpp.exceptions import PropertyConstraintViolationError
from ocpp.v201 import call

from csms.domain.configuration_variables import ConfigurationVariable
from csms.domain.models import (
    Authorization,
    BootInfo,
    ConnectorStatus,
    IdTokenStatus,
    MeterReading,
    ReservationStatus,
    SampledValue,
)
from csms.domain.transactions import MeterValues, TransactionEvent, TransactionEventOutcome
from csms.ocpp.v201 import mappers
from csms.wire.ocpp_library import to_payload, to_snake_case

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
EARLIER = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
NOW_TEXT = "2026-11-23T09:30:00Z"
EARLIER_TEXT = "2026-11-23T09:00:00Z"
REGISTER = "Energy.Active.Import.Register"


def request(action: type, payload: dict[str, Any]) -> Any:
    """The library's request dataclass, built as the dispatcher builds it."""
    return action(**to_snake_case(payload))


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (
            {"reason": "PowerUp", "chargingStation": {"vendorName": "Acme", "model": "DC-150"}},
            BootInfo("Acme", "DC-150", boot_reason="PowerUp"),
        ),
        (
            {
                "reason": "FirmwareUpdate",
                "chargingStation": {
                    "vendorName": "Acme",
                    "model": "DC-150",
                    "serialNumber": "SN-1",
                    "firmwareVersion": "2.0",
                    "modem": {"iccid": "8931"},
                },
            },
            BootInfo("Acme", "DC-150", serial_number="SN-1", firmware_version="2.0", boot_reason="FirmwareUpdate"),
        ),
    ],
)
def test_boot_notification(payload: dict[str, Any], expected: BootInfo) -> None:
    assert mappers.boot_info(request(call.BootNotification, payload)) == expected


def test_status_notification() -> None:
    payload = {"timestamp": EARLIER_TEXT, "connectorStatus": "Occupied", "evseId": 2, "connectorId": 1}

    assert mappers.connector_status(request(call.StatusNotification, payload)) == ConnectorStatus(
        1, "Occupied", EARLIER, evse_id=2
    )


@pytest.mark.parametrize(
    "id_token",
    [
        {"idToken": "TAG", "type": "ISO14443"},
        {"idToken": "TAG", "type": "eMAID", "additionalInfo": [{"additionalIdToken": "x", "type": "y"}]},
    ],
)
def test_the_token_presented_is_the_id_token_whatever_its_type(id_token: dict[str, Any]) -> None:
    assert mappers.presented_token(request(call.Authorize, {"idToken": id_token}).id_token) == "TAG"


def test_a_transaction_event_with_every_part() -> None:
    sampled = [
        {"value": 4.2, "measurand": REGISTER, "unitOfMeasure": {"unit": "kWh", "multiplier": 0}},
        {"value": 16, "measurand": "Current.Import", "phase": "L1", "unitOfMeasure": {"unit": "A"}},
    ]
    payload = {
        "eventType": "Ended",
        "timestamp": NOW_TEXT,
        "triggerReason": "EVCommunicationLost",
        "seqNo": 7,
        "offline": True,
        "reservationId": 3,
        "transactionInfo": {"transactionId": "tx-1", "chargingState": "EVConnected", "stoppedReason": "EVDisconnected"},
        "evse": {"id": 2, "connectorId": 1},
        "idToken": {"idToken": "TAG", "type": "ISO14443"},
        "meterValue": [{"timestamp": EARLIER_TEXT, "sampledValue": sampled}],
    }

    event = mappers.transaction_event(request(call.TransactionEvent, payload), payload)

    assert event == TransactionEvent(
        event_type="Ended",
        timestamp=NOW,
        transaction_id="tx-1",
        seq_no=7,
        trigger_reason="EVCommunicationLost",
        stopped_reason="EVDisconnected",
        evse_id=2,
        connector_id=1,
        id_token="TAG",
        offline=True,
        readings=(
            MeterReading(
                EARLIER,
                (
                    SampledValue(sampled[0], Decimal("4.2"), unit="kWh"),
                    SampledValue(sampled[1], Decimal(16), measurand="Current.Import", phase="L1", unit="A"),
                ),
            ),
        ),
        reservation_id=3,
        charging_state="EVConnected",
    )
    assert event.readings[0].sent == sampled  # kept exactly as sent


def test_a_transaction_event_without_optional_parts() -> None:
    payload = {
        "eventType": "Updated",
        "timestamp": NOW_TEXT,
        "triggerReason": "MeterValuePeriodic",
        "seqNo": 1,
        "transactionInfo": {"transactionId": "tx-1"},
    }

    assert mappers.transaction_event(request(call.TransactionEvent, payload), payload) == TransactionEvent(
        event_type="Updated", timestamp=NOW, transaction_id="tx-1", seq_no=1, trigger_reason="MeterValuePeriodic"
    )


def test_a_transaction_event_beyond_the_limits_is_refused() -> None:
    payload = {
        "eventType": "Started",
        "timestamp": "1969-12-31T23:59:59Z",
        "triggerReason": "Authorized",
        "seqNo": 0,
        "transactionInfo": {"transactionId": "tx-1"},
    }

    with pytest.raises(PropertyConstraintViolationError):
        mappers.transaction_event(request(call.TransactionEvent, payload), payload)


def test_meter_values_of_an_evse() -> None:
    sampled = {"value": 230, "measurand": "Voltage", "unitOfMeasure": {"unit": "V"}}
    payload = {"evseId": 1, "meterValue": [{"timestamp": EARLIER_TEXT, "sampledValue": [sampled]}]}

    assert mappers.meter_values(request(call.MeterValues, payload), payload) == MeterValues(
        1, (MeterReading(EARLIER, (SampledValue(sampled, Decimal(230), measurand="Voltage", unit="V"),)),)
    )


@pytest.mark.parametrize(
    ("sent", "value", "unit", "multiplier"),
    [
        ({"value": 1500}, Decimal(1500), "Wh", 0),
        ({"value": 1.5, "unitOfMeasure": {"unit": "kWh"}}, Decimal("1.5"), "kWh", 0),
        ({"value": 15, "unitOfMeasure": {"multiplier": 2}}, Decimal(15), "Wh", 2),
        (
            {"value": 0.1 + 0.2, "unitOfMeasure": {"unit": "kWh", "multiplier": -3}},
            Decimal("0.30000000000000004"),
            "kWh",
            -3,
        ),
        ({"value": 5, "unitOfMeasure": {"multiplier": 200}}, Decimal(5), "Wh", 200),  # out of range: flagged later
        (  # the value stays a number beside its signed data
            {
                "value": 4200,
                "signedMeterValue": {
                    "signedMeterData": "abc",
                    "signingMethod": "",
                    "encodingMethod": "OCMF",
                    "publicKey": "",
                },
            },
            Decimal(4200),
            "Wh",
            0,
        ),
    ],
)
def test_sampled_value(sent: dict[str, Any], value: Decimal, unit: str, multiplier: int) -> None:
    assert mappers.sampled_value(sent) == SampledValue(sent, value, unit=unit, multiplier=multiplier)


def test_a_report_gives_every_attribute_of_each_component_variable() -> None:
    payload = {
        "requestId": 1,
        "generatedAt": NOW_TEXT,
        "seqNo": 0,
        "reportData": [
            {
                "component": {"name": "EVSE", "instance": "main", "evse": {"id": 1, "connectorId": 2}},
                "variable": {"name": "Power", "instance": "max"},
                "variableAttribute": [
                    {"type": "Actual", "value": "11000", "mutability": "ReadOnly"},
                    {"type": "MaxSet", "value": "22000"},
                ],
                "variableCharacteristics": {"dataType": "decimal", "supportsMonitoring": True},
            },
            {
                "component": {"name": "OCPPCommCtrlr"},
                "variable": {"name": "HeartbeatInterval"},
                "variableAttribute": [{}],
            },
        ],
    }
    evse_power = ConfigurationVariable(
        "Power", component="EVSE", component_instance="main", evse_id=1, connector_id=2, variable_instance="max"
    )

    assert mappers.reported_variables(request(call.NotifyReport, payload)) == [
        replace(evse_power, value="11000", mutability="ReadOnly"),
        replace(evse_power, attribute_type="MaxSet", value="22000", mutability="ReadWrite"),
        ConfigurationVariable("HeartbeatInterval", component="OCPPCommCtrlr", mutability="ReadWrite"),
    ]


def test_a_report_part_without_data_gives_nothing() -> None:
    payload = {"requestId": 1, "generatedAt": NOW_TEXT, "seqNo": 3, "tbc": False}

    assert mappers.reported_variables(request(call.NotifyReport, payload)) == []


@pytest.mark.parametrize("status", ["Expired", "Removed"])
def test_reservation_status_update(status: str) -> None:
    payload = {"reservationId": 7, "reservationUpdateStatus": status}

    assert mappers.reservation_status(request(call.ReservationStatusUpdate, payload)) == ReservationStatus(status)


@pytest.mark.parametrize(
    ("authorization", "id_token_info"),
    [
        (Authorization(IdTokenStatus.ACCEPTED), {"status": "Accepted"}),
        (
            Authorization(IdTokenStatus.EXPIRED, expiry=NOW, parent_id="GROUP"),
            {
                "status": "Expired",
                "cacheExpiryDateTime": "2026-11-23T09:30:00.000Z",
                "groupIdToken": {"idToken": "GROUP", "type": "Central"},
            },
        ),
    ],
)
def test_answers_carry_the_authorization_as_id_token_info(
    authorization: Authorization, id_token_info: dict[str, Any]
) -> None:
    assert to_payload(mappers.authorize_answer(authorization)) == {"idTokenInfo": id_token_info}
    assert to_payload(mappers.transaction_event_answer(TransactionEventOutcome(authorization))) == {
        "idTokenInfo": id_token_info
    }


@pytest.mark.parametrize(
    ("outcome", "answer"),
    [
        (TransactionEventOutcome(None), {}),
        (TransactionEventOutcome(None, total_cost=Decimal("12.34")), {"totalCost": 12.34}),
        (TransactionEventOutcome(None, total_cost=Decimal(0)), {"totalCost": 0.0}),
    ],
)
def test_a_transaction_event_answer_carries_the_cost_when_there_is_one(
    outcome: TransactionEventOutcome, answer: dict[str, Any]
) -> None:
    assert to_payload(mappers.transaction_event_answer(outcome)) == answer
