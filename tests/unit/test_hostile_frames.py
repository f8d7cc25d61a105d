"""Hostile JSON at the door: a CALL carrying content Python's `json` takes but OCPP-J does not.

It gets a CALLERROR of its version, decided before anything is written. Answers carrying such
content: tests/adapters/test_hostile_answers.py.
"""

import base64
import json

import pytest

from csms.composition import Services
from csms.handlers import message
from csms.wire.versions import OcppVersion
from tests.fakes import RecordingSender
from tests.hostile_json import (
    HOSTILE_OBJECTS,
    HOSTILE_STRINGS,
    NESTED_30,
    NESTED_5000,
    NOT_JSON_NUMBERS,
    OUT_OF_RANGE_NUMBERS,
)
from tests.unit.stations import CALLERROR, Station, message_event, stored_state

V16, V201 = OcppVersion.V16, OcppVersion.V201
FORMAT_VIOLATION = {V16: "FormationViolation", V201: "FormatViolation"}

METER_VALUES_201 = (
    '[2, "mv-1", "MeterValues", {{"evseId": 1, "meterValue": [{{"timestamp": "2026-11-23T10:00:00Z", '
    '"sampledValue": [{{"value": {value}}}]}}]}}]'
)
METER_VALUES_16 = (
    '[2, "mv-1", "MeterValues", {{"connectorId": 1, "transactionId": {value}, "meterValue": '
    '[{{"timestamp": "2026-11-23T10:00:00Z", "sampledValue": [{{"value": "10"}}]}}]}}]'
)
BOOT_201 = (
    '[2, "b-1", "BootNotification", {{"chargingStation": {{"vendorName": {value}, "model": "M"}}, '
    '"reason": "PowerUp"}}]'
)
BOOT_16 = '[2, "b-1", "BootNotification", {{"chargePointVendor": {value}, "chargePointModel": "M"}}]'
DATA_TRANSFER_201 = '[2, "dt-1", "DataTransfer", {{"vendorId": "Acme", "data": {value}}}]'

HOSTILE_CALLS = [
    *[pytest.param(V201, METER_VALUES_201.format(value=n), "mv-1", id=f"2.0.1-meter-{n}") for n in NOT_JSON_NUMBERS],
    *[pytest.param(V16, METER_VALUES_16.format(value=n), "mv-1", id=f"1.6-meter-{n}") for n in NOT_JSON_NUMBERS],
    *[pytest.param(V201, BOOT_201.format(value=s), "b-1", id=f"2.0.1-boot-{s}") for s in HOSTILE_STRINGS],
    *[pytest.param(V16, BOOT_16.format(value=s), "b-1", id=f"1.6-boot-{s}") for s in HOSTILE_STRINGS],
    pytest.param(V201, DATA_TRANSFER_201.format(value=NESTED_30), "dt-1", id="2.0.1-nested-30"),
    pytest.param(V201, DATA_TRANSFER_201.format(value=NESTED_5000), "dt-1", id="2.0.1-nested-5000"),
    pytest.param(V16, BOOT_16.format(value=NESTED_5000), "b-1", id="1.6-nested-5000"),
    pytest.param(
        V16,
        '[2, "b-1", "BootNotification", {"chargePointVendor": "A", "chargePointVendor": "B", "chargePointModel": "M"}]',
        "b-1",
        id="1.6-duplicate-name",
    ),
    pytest.param(V201, BOOT_201.format(value='"A", "vendorName": "B"'), "b-1", id="2.0.1-duplicate-name"),
    *[pytest.param(V201, DATA_TRANSFER_201.format(value=o), "dt-1", id=f"2.0.1-data-{o}") for o in HOSTILE_OBJECTS],
]


@pytest.mark.parametrize(("version", "raw", "message_id"), HOSTILE_CALLS)
def test_a_call_with_json_ocpp_refuses_gets_a_format_violation_and_stores_nothing(
    fake_services: Services, version: OcppVersion, raw: str, message_id: str
) -> None:
    # Given a charge point with something stored already
    station = Station(fake_services, version)
    station.call("Heartbeat", {})
    before = stored_state(fake_services)

    # When it sends a CALL whose JSON carries a value OCPP-J does not allow
    reply = station.send(raw)

    # Then it gets its version's FormatViolation, with its message id, and nothing is stored
    assert reply is not None
    assert reply[:3] == [CALLERROR, message_id, FORMAT_VIOLATION[version]]
    assert stored_state(fake_services) == before


@pytest.mark.parametrize("version", list(OcppVersion))
@pytest.mark.parametrize("number", OUT_OF_RANGE_NUMBERS)
def test_a_call_with_a_number_out_of_range_gets_a_property_constraint_violation_and_stores_nothing(
    fake_services: Services, version: OcppVersion, number: str
) -> None:
    # Given a charge point with something stored already
    station = Station(fake_services, version)
    station.call("Heartbeat", {})
    before = stored_state(fake_services)
    raw = (METER_VALUES_201 if version is V201 else METER_VALUES_16).format(value=number)

    # When it sends a CALL whose JSON is well formed but holds a number no field can take
    reply = station.send(raw)

    # Then the value is refused (PropertyConstraintViolation in both versions), and nothing is stored
    assert reply is not None
    assert reply[:3] == [CALLERROR, "mv-1", "PropertyConstraintViolation"]
    assert stored_state(fake_services) == before


@pytest.mark.parametrize("version", list(OcppVersion))
@pytest.mark.parametrize(
    "message_id",
    [
        pytest.param("", id="empty"),
        pytest.param("x" * 37, id="37-characters"),
        pytest.param('"\\ud800"', id="surrogate"),
    ],
)
def test_a_call_whose_message_id_ocpp_j_does_not_allow_gets_a_protocol_error(
    fake_services: Services, version: OcppVersion, message_id: str
) -> None:
    # Given a message id that is empty, longer than OCPP-J's 36 characters, or not valid Unicode
    id_json = message_id if message_id.startswith('"') else json.dumps(message_id)
    station = Station(fake_services, version)
    before = stored_state(fake_services)

    # When a charge point calls with it
    reply = station.send(f'[2, {id_json}, "BootNotification", {json.dumps(BOOT[version])}]')

    # Then it gets a ProtocolError for the unreadable id ("-1"), and nothing is stored
    assert reply is not None
    assert reply[:3] == [CALLERROR, "-1", "ProtocolError"]
    assert stored_state(fake_services) == before


@pytest.mark.parametrize("version", list(OcppVersion))
def test_a_message_id_of_36_characters_is_answered(fake_services: Services, version: OcppVersion) -> None:
    message_id = "x" * 36

    result = Station(fake_services, version).call("Heartbeat", {}, message_id=message_id)

    assert "currentTime" in result


BOOT = {
    V16: {"chargePointVendor": "Acme", "chargePointModel": "AC-22"},
    V201: {"chargingStation": {"vendorName": "Acme", "model": "DC-50"}, "reason": "PowerUp"},
}

# The `$default` handler: what API Gateway delivers ------------------------------------------------


DATA_TRANSFER = b'[2, "m-1", "DataTransfer", {"vendorId": "Acme", "data": "%s"}]'


@pytest.fixture
def handler_services(fake_services: Services, monkeypatch: pytest.MonkeyPatch) -> Services:
    """`handle_message` over the fakes (its composition root made once per process otherwise)."""
    monkeypatch.setattr(message, "get_services", lambda: fake_services)
    fake_services.charge_points.connected("CP-1", "conn-CP-1", V16)
    return fake_services


@pytest.mark.parametrize("version", list(OcppVersion))
@pytest.mark.parametrize(
    "body",
    [
        pytest.param(base64.b64encode(DATA_TRANSFER % b"\xff").decode(), id="bad-utf-8"),
        pytest.param(base64.b64encode(DATA_TRANSFER % b"\xed\xa0\x80").decode(), id="utf-8-encoded-surrogate"),
    ],
)
def test_a_binary_frame_that_is_not_utf_8_json_gets_a_format_violation(
    handler_services: Services, sender: RecordingSender, version: OcppVersion, body: str
) -> None:
    # When API Gateway delivers a base64-encoded body that is not UTF-8 text
    response = message.handle_message(message_event(version, body, base64_encoded=True))

    # Then the charge point gets the FormatViolation of unreadable frames
    assert response == {"statusCode": 200}
    assert [json.loads(frame)[:3] for _, frame in sender.sent] == [[CALLERROR, "-1", FORMAT_VIOLATION[version]]]


def test_a_body_marked_base64_that_is_not_is_dropped(handler_services: Services, sender: RecordingSender) -> None:
    # When API Gateway delivers a body marked base64 that is not (it never should)
    response = message.handle_message(message_event(V16, "not base64 at all!", base64_encoded=True))

    # Then the handler does not raise, and there is no frame to answer
    assert response == {"statusCode": 200}
    assert sender.sent == []


@pytest.mark.parametrize("version", list(OcppVersion))
def test_a_base64_encoded_text_frame_is_answered(
    handler_services: Services, sender: RecordingSender, version: OcppVersion
) -> None:
    body = base64.b64encode(b'[2, "m-1", "Heartbeat", {}]').decode()

    message.handle_message(message_event(version, body, base64_encoded=True))

    assert [json.loads(frame)[:2] for _, frame in sender.sent] == [[3, "m-1"]]


def test_an_answer_whose_processing_fails_is_logged_and_not_answered(
    handler_services: Services, sender: RecordingSender, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a calls store that fails unexpectedly
    def broken_claim(*args: object, **kwargs: object) -> None:
        raise RuntimeError("throttled")

    monkeypatch.setattr(handler_services.repositories.calls, "claim_answer", broken_claim)

    # When a charge point's answer arrives
    response = message.handle_message(message_event(V16, '[3, "m-1", {"status": "Accepted"}]'))

    # Then the handler does not raise (API Gateway would tell the charge point "Internal server error")
    assert response == {"statusCode": 200}
    assert sender.sent == []
