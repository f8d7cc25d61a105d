"""OCPP 1.6 mappers, table by table: a payload (as the dispatcher turns it into the library's request) -> domain input,
and domain results -> response payloads."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from ocpp.exceptions import FormatViolationError, PropertyConstraintViolationError
from ocpp.v16 import call

from csms.domain.models import Authorization, BootInfo, ConnectorStatus, IdTokenStatus, MeterReading, SampledValue
from csms.domain.transactions import MeterValues, TransactionStart, TransactionStop
from csms.ocpp.v16 import mappers
from csms.wire.ocpp_library import to_payload, to_snake_case

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
EARLIER = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
REGISTER = "Energy.Active.Import.Register"


def request(action: type, payload: dict[str, Any]) -> Any:
    """The library's request dataclass, built as the dispatcher builds it."""
    return action(**to_snake_case(payload))


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"chargePointVendor": "Acme", "chargePointModel": "AC-22"}, BootInfo("Acme", "AC-22")),
        (
            {
                "chargePointVendor": "Acme",
                "chargePointModel": "AC-22",
                "chargePointSerialNumber": "SN-1",
                "chargeBoxSerialNumber": "BOX-1",
                "firmwareVersion": "1.2",
            },
            BootInfo("Acme", "AC-22", serial_number="SN-1", firmware_version="1.2"),
        ),
        (
            {"chargePointVendor": "Acme", "chargePointModel": "AC-22", "chargeBoxSerialNumber": "BOX-1"},
            BootInfo("Acme", "AC-22", serial_number="BOX-1"),
        ),
    ],
)
def test_boot_notification(payload: dict[str, Any], expected: BootInfo) -> None:
    assert mappers.boot_info(request(call.BootNotification, payload)) == expected


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (
            {"connectorId": 1, "status": "Charging", "errorCode": "NoError", "timestamp": "2026-11-23T09:00:00Z"},
            ConnectorStatus(1, "Charging", EARLIER, error_code="NoError"),
        ),
        (  # no timestamp (optional in 1.6): as of receipt
            {"connectorId": 0, "status": "Faulted", "errorCode": "OtherError", "vendorErrorCode": "E42"},
            ConnectorStatus(0, "Faulted", NOW, error_code="OtherError", info="E42"),
        ),
        (
            {"connectorId": 2, "status": "Faulted", "errorCode": "OtherError", "info": "lid", "vendorErrorCode": "E42"},
            ConnectorStatus(2, "Faulted", NOW, error_code="OtherError", info="lid"),
        ),
    ],
)
def test_status_notification(payload: dict[str, Any], expected: ConnectorStatus) -> None:
    assert mappers.connector_status(request(call.StatusNotification, payload), received_at=NOW) == expected


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (
            {"connectorId": 1, "idTag": "TAG", "meterStart": 1000, "timestamp": "2026-11-23T09:00:00Z"},
            TransactionStart(1, "TAG", 1000, EARLIER),
        ),
        (
            {
                "connectorId": 2,
                "idTag": "TAG",
                "meterStart": 0,
                "timestamp": "2026-11-23T09:30:00+00:00",
                "reservationId": 7,
            },
            TransactionStart(2, "TAG", 0, NOW, reservation_id=7),
        ),
    ],
)
def test_start_transaction(payload: dict[str, Any], expected: TransactionStart) -> None:
    assert mappers.transaction_start(request(call.StartTransaction, payload)) == expected


@pytest.mark.parametrize(
    ("changed", "refused"),
    [
        ({"meterStart": 10**13}, PropertyConstraintViolationError),
        ({"timestamp": "2126-11-23T09:00:00Z"}, PropertyConstraintViolationError),
        ({"timestamp": "yesterday"}, FormatViolationError),
    ],
)
def test_start_transaction_beyond_the_limits_is_refused(changed: dict[str, Any], refused: type[Exception]) -> None:
    payload = {"connectorId": 1, "idTag": "TAG", "meterStart": 1000, "timestamp": "2026-11-23T09:00:00Z", **changed}

    with pytest.raises(refused):
        mappers.transaction_start(request(call.StartTransaction, payload))


def test_stop_transaction_with_its_transaction_data() -> None:
    sampled = [
        {"value": "4200", "measurand": REGISTER, "unit": "Wh", "context": "Transaction.End"},
        {"value": "16.5", "measurand": "Current.Import", "phase": "L1", "unit": "A"},
    ]
    payload = {
        "transactionId": 12,
        "meterStop": 4200,
        "timestamp": "2026-11-23T09:30:00Z",
        "reason": "EVDisconnected",
        "idTag": "TAG",
        "transactionData": [{"timestamp": "2026-11-23T09:00:00Z", "sampledValue": sampled}],
    }

    stop = mappers.transaction_stop(request(call.StopTransaction, payload), payload)

    assert stop == TransactionStop(
        "12",
        4200,
        NOW,
        reason="EVDisconnected",
        id_token="TAG",
        readings=(
            MeterReading(
                EARLIER,
                (
                    SampledValue(sampled[0], Decimal(4200)),
                    SampledValue(sampled[1], Decimal("16.5"), measurand="Current.Import", phase="L1", unit="A"),
                ),
            ),
        ),
    )
    assert stop.readings[0].sent == sampled  # kept exactly as sent


def test_stop_transaction_without_optional_parts() -> None:
    payload = {"transactionId": 12, "meterStop": 4200, "timestamp": "2026-11-23T09:30:00Z"}

    assert mappers.transaction_stop(request(call.StopTransaction, payload), payload) == TransactionStop("12", 4200, NOW)


@pytest.mark.parametrize(
    ("payload", "transaction_id"),
    [({"connectorId": 1, "transactionId": 12}, "12"), ({"connectorId": 1}, None)],
)
def test_meter_values_of_a_transaction_or_a_connector(payload: dict[str, Any], transaction_id: str | None) -> None:
    sampled = {"value": "1500"}
    payload = {**payload, "meterValue": [{"timestamp": "2026-11-23T09:00:00Z", "sampledValue": [sampled]}]}

    assert mappers.meter_values(request(call.MeterValues, payload), payload) == MeterValues(
        1, (MeterReading(EARLIER, (SampledValue(sampled, Decimal(1500)),)),), transaction_id
    )


@pytest.mark.parametrize(
    ("sent", "read"),
    [
        ({"value": "1500"}, SampledValue({"value": "1500"}, Decimal(1500))),
        (
            {"value": "1.5", "unit": "kWh", "measurand": REGISTER, "location": "Outlet"},
            SampledValue(
                {"value": "1.5", "unit": "kWh", "measurand": REGISTER, "location": "Outlet"}, Decimal("1.5"), unit="kWh"
            ),
        ),
        (
            {"value": "230", "measurand": "Voltage", "phase": "L1-N", "unit": "V"},
            SampledValue(
                {"value": "230", "measurand": "Voltage", "phase": "L1-N", "unit": "V"},
                Decimal(230),
                measurand="Voltage",
                phase="L1-N",
                unit="V",
            ),
        ),
        (  # signed data is not a number
            {"value": "3045022100ab", "format": "SignedData"},
            SampledValue({"value": "3045022100ab", "format": "SignedData"}, None),
        ),
        ({"value": "NaN"}, SampledValue({"value": "NaN"}, Decimal("NaN"))),  # a number, out of range
    ],
)
def test_sampled_value(sent: dict[str, Any], read: SampledValue) -> None:
    mapped = mappers.sampled_value(sent)

    assert (mapped.sent, str(mapped.value), mapped.measurand, mapped.phase, mapped.unit, mapped.multiplier) == (
        read.sent,
        str(read.value),
        read.measurand,
        read.phase,
        read.unit,
        read.multiplier,
    )


@pytest.mark.parametrize(
    ("authorization", "id_tag_info"),
    [
        (Authorization(IdTokenStatus.ACCEPTED), {"status": "Accepted"}),
        (
            Authorization(IdTokenStatus.BLOCKED, expiry=NOW, parent_id="GROUP"),
            {"status": "Blocked", "expiryDate": "2026-11-23T09:30:00.000Z", "parentIdTag": "GROUP"},
        ),
    ],
)
def test_answers_carry_the_authorization_as_id_tag_info(
    authorization: Authorization, id_tag_info: dict[str, Any]
) -> None:
    assert to_payload(mappers.authorize_answer(authorization)) == {"idTagInfo": id_tag_info}
    assert to_payload(mappers.start_answer("12", authorization)) == {"transactionId": 12, "idTagInfo": id_tag_info}
    assert to_payload(mappers.stop_answer(authorization)) == {"idTagInfo": id_tag_info}


def test_a_stop_without_id_tag_is_answered_without_id_tag_info() -> None:
    assert to_payload(mappers.stop_answer(None)) == {}


def test_boot_and_heartbeat_answers() -> None:
    assert to_payload(mappers.boot_accepted(NOW, 300)) == {
        "currentTime": "2026-11-23T09:30:00.000Z",
        "interval": 300,
        "status": "Accepted",
    }
    assert to_payload(mappers.heartbeat_answer(NOW)) == {"currentTime": "2026-11-23T09:30:00.000Z"}
