"""Every frame a charge point can get wrong, and the exact CALLERROR each OCPP version prescribes.

Frames go through the real dispatcher (`csms.ocpp.dispatcher.build_dispatcher`) over the in-memory fakes.
"""

import json
import logging
from typing import Any

import pytest

from csms.composition import Services
from csms.domain.models import IdToken, IdTokenStatus
from csms.wire.versions import OcppVersion
from tests.fakes import RecordingWorkflows
from tests.unit.stations import CALLERROR, Station, stored_state

V16, V201 = OcppVersion.V16, OcppVersion.V201

# The CALLERROR codes each version defines (OCPP-J 1.6 section 4.2.3, OCPP-J 2.0.1 section 4.3).
VALID_CODES = {
    V16: {
        "NotImplemented",
        "NotSupported",
        "InternalError",
        "ProtocolError",
        "SecurityError",
        "FormationViolation",
        "PropertyConstraintViolation",
        "OccurenceConstraintViolation",
        "TypeConstraintViolation",
        "GenericError",
    },
    V201: {
        "FormatViolation",
        "GenericError",
        "InternalError",
        "MessageTypeNotSupported",
        "NotImplemented",
        "NotSupported",
        "OccurrenceConstraintViolation",
        "PropertyConstraintViolation",
        "ProtocolError",
        "RpcFrameworkError",
        "SecurityError",
        "TypeConstraintViolation",
    },
}

STATUS_16_WRONG_TYPE = {"connectorId": "one", "errorCode": "NoError", "status": "Available"}
STATUS_201_WRONG_TYPE = {
    "timestamp": "2026-11-23T10:00:00Z",
    "connectorStatus": "Available",
    "evseId": 1,
    "connectorId": "one",
}

# (raw frame, expected message id, OCPP 1.6 code, OCPP 2.0.1 code)
MALFORMED_FRAMES = [
    pytest.param("not json at all", "-1", "FormationViolation", "FormatViolation", id="not-json"),
    pytest.param('[2, "id", "Heartbeat", {}', "-1", "FormationViolation", "FormatViolation", id="truncated-json"),
    pytest.param("{}", "-1", "ProtocolError", "ProtocolError", id="json-object"),
    pytest.param('"x"', "-1", "ProtocolError", "ProtocolError", id="json-string"),
    pytest.param("5", "-1", "ProtocolError", "ProtocolError", id="json-number"),
    pytest.param("null", "-1", "ProtocolError", "ProtocolError", id="json-null"),
    pytest.param("[]", "-1", "ProtocolError", "ProtocolError", id="empty-array"),
    pytest.param("[2]", "-1", "ProtocolError", "ProtocolError", id="type-only"),
    pytest.param('[2, "id"]', "id", "ProtocolError", "ProtocolError", id="no-action"),
    pytest.param('[2, "id", "Heartbeat"]', "id", "ProtocolError", "ProtocolError", id="no-payload"),
    pytest.param('[2, 5, "Heartbeat", {}]', "-1", "ProtocolError", "ProtocolError", id="numeric-message-id"),
    pytest.param('[2, "id", 5, {}]', "id", "ProtocolError", "ProtocolError", id="numeric-action"),
    pytest.param(
        '[7, "id", {}]', "id", "PropertyConstraintViolation", "MessageTypeNotSupported", id="unknown-message-type"
    ),
    pytest.param('[2, "id", "Foo", {}]', "id", "NotImplemented", "NotImplemented", id="unknown-action"),
    pytest.param('[2, "id", "Reset", {"type": "Hard"}]', "id", "NotSupported", "NotSupported", id="csms-to-cp-action"),
    # The `ocpp` library reports a missing required property as ProtocolError ("payload incomplete").
    pytest.param('[2, "id", "Authorize", {}]', "id", "ProtocolError", "ProtocolError", id="missing-required"),
    pytest.param(
        '[2, "id", "Heartbeat", {"unexpected": 1}]', "id", "FormationViolation", "FormatViolation", id="extra-property"
    ),
    pytest.param(
        '[2, "id", "Heartbeat", []]', "id", "TypeConstraintViolation", "TypeConstraintViolation", id="payload-array"
    ),
    pytest.param(
        '[2, "id", "Heartbeat", "{}"]', "id", "TypeConstraintViolation", "TypeConstraintViolation", id="payload-string"
    ),
]

WRONG_TYPE = {
    V16: json.dumps([2, "id", "StatusNotification", STATUS_16_WRONG_TYPE]),
    V201: json.dumps([2, "id", "StatusNotification", STATUS_201_WRONG_TYPE]),
}


def expected_code(version: OcppVersion, code16: str, code201: str) -> str:
    return code16 if version is V16 else code201


def all_error_cases() -> list[Any]:
    """Every malformed frame for both versions, with the code that version must answer."""
    cases = [
        pytest.param(version, *case.values[:2], expected_code(version, *case.values[2:]), id=f"{version}-{case.id}")
        for version in OcppVersion
        for case in MALFORMED_FRAMES
    ]
    cases += [
        pytest.param(version, WRONG_TYPE[version], "id", "TypeConstraintViolation", id=f"{version}-wrong-type")
        for version in OcppVersion
    ]
    return cases


@pytest.mark.parametrize(("version", "raw", "message_id", "code"), all_error_cases())
def test_malformed_frame_gets_the_callerror_its_version_prescribes(
    fake_services: Services, version: OcppVersion, raw: str, message_id: str, code: str
) -> None:
    # Given a charge point speaking `version`
    station = Station(fake_services, version)

    # When it sends a malformed frame
    reply = station.send(raw)

    # Then the CSMS answers with a CALLERROR carrying the prescribed code and message id
    assert reply is not None
    assert reply[:3] == [CALLERROR, message_id, code]


@pytest.mark.parametrize(("version", "raw", "message_id", "code"), all_error_cases())
def test_every_callerror_is_a_five_element_frame_with_a_code_of_its_version(
    fake_services: Services, version: OcppVersion, raw: str, message_id: str, code: str
) -> None:
    # Given a charge point speaking `version`
    station = Station(fake_services, version)

    # When it sends a malformed frame
    reply = station.send(raw)

    # Then the reply is [4, id, code, description, details] and the code exists in that version
    assert isinstance(reply, list)
    assert len(reply) == 5
    message_type, reply_id, reply_code, description, details = reply
    assert message_type == CALLERROR
    assert isinstance(reply_id, str)
    assert reply_code in VALID_CODES[version]
    assert isinstance(description, str)
    assert description
    assert isinstance(details, dict)


# Frames that would change state if they were not rejected before their handler ran.
REJECTED_WOULD_BE_WRITES = {
    V16: [
        '[2, "b", "BootNotification", {"chargePointVendor": "Acme", "chargePointModel": "M", "extra": 1}]',
        '[2, "s", "StartTransaction", {"connectorId": 1, "idTag": "TAG", "timestamp": "2026-11-23T10:00:00Z"}]',
        '[2, "m", "MeterValues", {"connectorId": "1", "meterValue": []}]',
        '[2, "r", "RemoteStartTransaction", {"idTag": "TAG"}]',
        json.dumps([2, "st", "StatusNotification", STATUS_16_WRONG_TYPE]),
        '[2, "h", "Heartbeat"]',
        "not json",
    ],
    V201: [
        '[2, "b", "BootNotification", {"chargingStation": {"vendorName": "Acme"}, "reason": "PowerUp"}]',
        '[2, "t", "TransactionEvent", {"eventType": "Started", "timestamp": "2026-11-23T10:00:00Z", "seqNo": 0}]',
        '[2, "m", "MeterValues", {"evseId": 1, "meterValue": "none"}]',
        '[2, "r", "RequestStartTransaction", {"idToken": {"idToken": "T", "type": "Central"}, "remoteStartId": 1}]',
        json.dumps([2, "st", "StatusNotification", STATUS_201_WRONG_TYPE]),
        '[2, "h", "Heartbeat"]',
        "not json",
    ],
}


@pytest.mark.parametrize(
    ("version", "raw"),
    [
        pytest.param(version, raw, id=f"{version}-{i}")
        for version, frames in REJECTED_WOULD_BE_WRITES.items()
        for i, raw in enumerate(frames)
    ],
)
def test_a_bad_frame_changes_nothing_stored(fake_services: Services, version: OcppVersion, raw: str) -> None:
    # Given a charge point with some state already stored
    station = Station(fake_services, version)
    fake_services.repositories.id_tokens.put(IdToken("TAG", IdTokenStatus.ACCEPTED))
    station.call("Heartbeat", {})
    before = stored_state(fake_services)

    # When it sends a malformed frame
    reply = station.send(raw)

    # Then it gets a CALLERROR and nothing stored has changed
    assert reply is not None
    assert reply[0] == CALLERROR
    assert stored_state(fake_services) == before


BOOT = {
    V16: {"chargePointVendor": "Acme", "chargePointModel": "AC-22"},
    V201: {"chargingStation": {"vendorName": "Acme", "model": "DC-50"}, "reason": "PowerUp"},
}


@pytest.mark.parametrize("version", list(OcppVersion))
def test_an_unexpected_handler_failure_becomes_internal_error_and_is_logged(
    fake_services: Services, version: OcppVersion, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a charge point store that fails unexpectedly
    def broken_record_boot(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(fake_services.repositories.charge_points, "record_boot", broken_record_boot)
    station = Station(fake_services, version)

    # When a charge point boots
    with caplog.at_level(logging.ERROR, logger="csms"):
        reply = station.call_error("BootNotification", BOOT[version], message_id="boot-1")

    # Then it gets an InternalError that does not leak the failure, and the failure is logged
    assert reply[:3] == [CALLERROR, "boot-1", "InternalError"]
    assert "database on fire" not in json.dumps(reply)
    failures = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert failures, "the handler failure was not logged"
    assert failures[-1].exc_info is not None
    assert isinstance(failures[-1].exc_info[1], RuntimeError)


@pytest.mark.parametrize(
    ("version", "action", "payload"),
    [(V16, "Authorize", {"idTag": "TAG"}), (V201, "Authorize", {"idToken": {"idToken": "TAG", "type": "ISO14443"}})],
)
def test_a_response_that_breaks_the_schema_is_never_sent(
    fake_services: Services, version: OcppVersion, action: str, payload: dict[str, Any]
) -> None:
    # Given a token whose stored status is not one OCPP knows
    class BogusStatus:
        value = "Maybe"

    fake_services.repositories.id_tokens.put(IdToken("TAG", BogusStatus()))  # type: ignore[arg-type]
    station = Station(fake_services, version)

    # When it is authorized
    reply = station.call_error(action, payload, message_id="auth-1")

    # Then the invalid response is replaced by an InternalError
    assert reply[:3] == [CALLERROR, "auth-1", "InternalError"]


@pytest.mark.parametrize("version", list(OcppVersion))
@pytest.mark.parametrize(
    "frame", ['[3, "csms-call-1", {"status": "Accepted"}]', '[4, "csms-call-2", "NotSupported", "no such thing", {}]']
)
def test_an_answer_to_no_call_of_the_csms_is_dropped_and_not_answered(
    fake_services: Services, workflows: RecordingWorkflows, version: OcppVersion, frame: str
) -> None:
    # Given a charge point
    station = Station(fake_services, version, charge_point_id="CP-7")

    # When it answers a call the CSMS never sent (answers to sent calls: test_call_answers.py)
    reply = station.send(frame)

    # Then nothing is sent back, nothing is kept and no workflow resumes
    assert reply is None
    assert fake_services.repositories.calls.answers == {}  # type: ignore[attr-defined]
    assert workflows.succeeded == workflows.failed == []


@pytest.mark.parametrize("version", list(OcppVersion))
def test_a_valid_call_after_bad_frames_is_still_answered(fake_services: Services, version: OcppVersion) -> None:
    # Given a charge point that sent a few bad frames
    station = Station(fake_services, version)
    for raw in ("garbage", "[]", '[2, "x", "Foo", {}]'):
        assert station.send(raw) is not None

    # When it sends a valid Heartbeat
    result = station.call("Heartbeat", {}, message_id="hb")

    # Then it is answered normally
    assert result == {"currentTime": "2026-11-23T12:00:00.000Z"}


# Inputs that once slipped past the error mapping ----------------------------------------------


@pytest.mark.parametrize("version", list(OcppVersion))
def test_deeply_nested_json_is_answered_with_a_format_violation(fake_services: Services, version: OcppVersion) -> None:
    # Given a 10 kB frame of nested arrays (well below API Gateway's 32 kB frame limit)
    raw = "[" * 5000 + "]" * 5000

    # When a charge point sends it
    reply = Station(fake_services, version).send(raw)

    # Then it gets the same CALLERROR as any other unparseable frame
    assert reply is not None
    assert reply[:3] == [CALLERROR, "-1", expected_code(version, "FormationViolation", "FormatViolation")]


BAD_TIMESTAMPS = [
    (V16, "StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Available", "timestamp": "x"}),
    (V16, "StartTransaction", {"connectorId": 1, "idTag": "TAG", "meterStart": 0, "timestamp": "yesterday"}),
    (V16, "StopTransaction", {"transactionId": 1, "meterStop": 10, "timestamp": "2026-13-45T99:00:00Z"}),
    (V16, "MeterValues", {"connectorId": 1, "meterValue": [{"timestamp": "x", "sampledValue": [{"value": "1"}]}]}),
    (
        V201,
        "TransactionEvent",
        {
            "eventType": "Started",
            "timestamp": "not a date",
            "triggerReason": "Authorized",
            "seqNo": 0,
            "transactionInfo": {"transactionId": "tx-1"},
        },
    ),
    (V201, "StatusNotification", {"timestamp": "x", "connectorStatus": "Available", "evseId": 1, "connectorId": 1}),
    (V201, "MeterValues", {"evseId": 1, "meterValue": [{"timestamp": "x", "sampledValue": [{"value": 1}]}]}),
]


@pytest.mark.parametrize(
    ("version", "action", "payload"), BAD_TIMESTAMPS, ids=[f"{v}-{a}" for v, a, _ in BAD_TIMESTAMPS]
)
def test_a_malformed_datetime_is_the_charge_points_error_not_an_internal_error(
    fake_services: Services, version: OcppVersion, action: str, payload: dict[str, Any]
) -> None:
    # When a charge point sends a dateTime that is not RFC 3339
    reply = Station(fake_services, version).call_error(action, payload, message_id="bad-time")

    # Then the CALLERROR blames the payload (a charge point retries InternalErrors of transaction messages)
    assert reply[1] == "bad-time"
    assert reply[2] in VALID_CODES[version] - {"InternalError", "GenericError"}


@pytest.mark.parametrize(
    "version",
    [
        pytest.param(
            V16,
        ),
        V201,
    ],
)
def test_a_response_name_used_as_an_action_is_not_implemented(fake_services: Services, version: OcppVersion) -> None:
    # When a charge point calls an action no OCPP version defines ("HeartbeatResponse")
    reply = Station(fake_services, version).call_error("HeartbeatResponse", {}, message_id="r-1")

    # Then it is NotImplemented (unknown), not NotSupported (known but refused)
    assert reply[:3] == [CALLERROR, "r-1", "NotImplemented"]
