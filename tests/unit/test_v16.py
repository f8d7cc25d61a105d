"""OCPP 1.6J actions through the dispatcher over the in-memory fakes: the replies and what is kept.

`Station.call` fails unless the reply is a CALLRESULT whose payload is valid against the official schema.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from csms.composition import Services
from csms.domain.charge_points import LAST_SEEN_RESOLUTION
from csms.domain.meter_series import ConnectorSeries, TransactionSeries
from csms.domain.models import ConnectorStatus, IdToken, IdTokenStatus, TransactionStatus
from csms.wire.versions import OcppVersion
from tests.fakes import FixedClock
from tests.unit.stations import Station

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
NOW_TEXT = "2026-11-23T12:00:00.000Z"


def energy(timestamp: str, value: str, **extra: Any) -> dict[str, Any]:
    return {
        "timestamp": timestamp,
        "sampledValue": [{"value": value, "measurand": "Energy.Active.Import.Register", **extra}],
    }


def start_payload(**overrides: Any) -> dict[str, Any]:
    return {"connectorId": 1, "idTag": "TAG", "meterStart": 1000, "timestamp": "2026-11-23T09:00:00Z", **overrides}


def stop_payload(transaction_id: int, **overrides: Any) -> dict[str, Any]:
    return {"transactionId": transaction_id, "meterStop": 8500, "timestamp": "2026-11-23T10:00:00Z", **overrides}


# BootNotification -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("serial_fields", "expected_serial"),
    [
        ({"chargePointSerialNumber": "SN-1"}, "SN-1"),
        ({"chargeBoxSerialNumber": "BOX-1"}, "BOX-1"),
        ({"chargePointSerialNumber": "SN-1", "chargeBoxSerialNumber": "BOX-1"}, "SN-1"),
        ({}, None),
    ],
)
def test_boot_notification_is_accepted_and_stores_the_charge_point_details(
    station16: Station, fake_services: Services, serial_fields: dict[str, str], expected_serial: str | None
) -> None:
    # Given a charge point
    # When it boots
    result = station16.call(
        "BootNotification",
        {"chargePointVendor": "Acme", "chargePointModel": "AC-22", "firmwareVersion": "1.6.3", **serial_fields},
    )

    # Then it is accepted with the configured heartbeat interval and the CSMS time
    assert result == {
        "status": "Accepted",
        "currentTime": NOW_TEXT,
        "interval": fake_services.settings.heartbeat_interval_seconds,
    }
    # And its details are stored
    charge_point = fake_services.repositories.charge_points.get("CP-1")
    assert charge_point is not None
    assert (charge_point.vendor, charge_point.model) == ("Acme", "AC-22")
    assert charge_point.serial_number == expected_serial
    assert charge_point.firmware_version == "1.6.3"
    assert charge_point.last_boot == NOW


def test_boot_notification_interval_follows_the_settings(
    fake_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a deployment with a 120 s heartbeat interval
    monkeypatch.setattr(fake_services.settings, "heartbeat_interval_seconds", 120)
    station = Station(fake_services, OcppVersion.V16)

    # When a charge point boots
    result = station.call("BootNotification", {"chargePointVendor": "Acme", "chargePointModel": "AC-22"})

    # Then it is told to beat every 120 s
    assert result["interval"] == 120


# Heartbeat ------------------------------------------------------------------------------------


def test_heartbeat_answers_the_current_time(station16: Station, clock: FixedClock) -> None:
    # Given the CSMS clock at a known time
    clock.advance(minutes=7, seconds=30)

    # When a charge point beats
    result = station16.call("Heartbeat", {})

    # Then it is told the CSMS time
    assert result == {"currentTime": "2026-11-23T12:07:30.000Z"}


def test_heartbeats_do_not_write_on_every_beat(station16: Station, fake_services: Services, clock: FixedClock) -> None:
    charge_points = fake_services.repositories.charge_points

    # Given a charge point that has beaten once
    station16.call("Heartbeat", {})
    writes_after_first = charge_points.writes  # type: ignore[attr-defined]

    # When it beats again a minute later
    clock.advance(minutes=1)
    station16.call("Heartbeat", {})

    # Then nothing more was written, and the first beat cost at most one write
    assert writes_after_first <= 1
    assert charge_points.writes == writes_after_first  # type: ignore[attr-defined]


def test_a_heartbeat_after_the_resolution_refreshes_last_seen(
    station16: Station, fake_services: Services, clock: FixedClock
) -> None:
    charge_points = fake_services.repositories.charge_points

    # Given a charge point that has beaten once
    station16.call("Heartbeat", {})
    writes_after_first = charge_points.writes  # type: ignore[attr-defined]

    # When it beats again LAST_SEEN_RESOLUTION later
    clock.advance(seconds=LAST_SEEN_RESOLUTION.total_seconds())
    station16.call("Heartbeat", {})

    # Then last seen is written again
    assert charge_points.writes == writes_after_first + 1  # type: ignore[attr-defined]
    charge_point = charge_points.get("CP-1")
    assert charge_point is not None
    assert charge_point.last_seen == NOW + LAST_SEEN_RESOLUTION


def test_a_heartbeat_right_after_boot_writes_nothing(
    station16: Station, fake_services: Services, clock: FixedClock
) -> None:
    charge_points = fake_services.repositories.charge_points

    # Given a charge point that just booted (which records it as seen)
    station16.call("BootNotification", {"chargePointVendor": "Acme", "chargePointModel": "AC-22"})
    writes_after_boot = charge_points.writes  # type: ignore[attr-defined]

    # When it beats a few minutes later
    clock.advance(minutes=5)
    station16.call("Heartbeat", {})

    # Then the beat costs no write
    assert charge_points.writes == writes_after_boot  # type: ignore[attr-defined]


# StatusNotification ---------------------------------------------------------------------------


def test_status_notification_keeps_the_connector_status_and_error_code(
    station16: Station, fake_services: Services
) -> None:
    # Given a charge point that booted (a status alone makes no charge point known)
    station16.call("BootNotification", {"chargePointVendor": "Acme", "chargePointModel": "AC-22"})
    # When it reports a faulted connector
    result = station16.call(
        "StatusNotification",
        {
            "connectorId": 2,
            "errorCode": "GroundFailure",
            "status": "Faulted",
            "info": "RCD tripped",
            "timestamp": "2026-11-23T11:59:00Z",
        },
    )

    # Then the CSMS acknowledges it and keeps the connector's status as sent
    assert result == {}
    charge_point = fake_services.repositories.charge_points.get("CP-1")
    assert charge_point is not None
    assert charge_point.connectors == [
        ConnectorStatus(
            connector_id=2,
            status="Faulted",
            timestamp=datetime(2026, 11, 23, 11, 59, tzinfo=UTC),
            error_code="GroundFailure",
            info="RCD tripped",
        )
    ]


def test_status_notification_without_timestamp_is_stamped_with_the_csms_time(
    station16: Station, fake_services: Services
) -> None:
    # Given a charge point that booted
    station16.call("BootNotification", {"chargePointVendor": "Acme", "chargePointModel": "AC-22"})
    # When it reports a status without a timestamp
    station16.call("StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Available"})

    # Then the status carries the CSMS time
    charge_point = fake_services.repositories.charge_points.get("CP-1")
    assert charge_point is not None
    assert [c.timestamp for c in charge_point.connectors] == [NOW]


def test_status_notification_keeps_only_the_latest_status_per_connector(
    station16: Station, fake_services: Services
) -> None:
    # Given a charge point that booted, whose connector 1 became Preparing, then Charging, and connector 0 Available
    station16.call("BootNotification", {"chargePointVendor": "Acme", "chargePointModel": "AC-22"})
    for connector_id, status in [(1, "Preparing"), (0, "Available"), (1, "Charging")]:
        station16.call("StatusNotification", {"connectorId": connector_id, "errorCode": "NoError", "status": status})

    # Then one status per connector is kept, the latest
    charge_point = fake_services.repositories.charge_points.get("CP-1")
    assert charge_point is not None
    assert sorted((c.connector_id, c.status) for c in charge_point.connectors) == [(0, "Available"), (1, "Charging")]


@pytest.mark.parametrize(
    ("status", "error_code", "kept"),
    [("Faulted", "GroundFailure", True), ("Available", "HighTemperature", True), ("Available", "NoError", False)],
)
def test_a_status_notification_that_reports_a_fault_is_also_kept_as_a_notification(
    station16: Station, fake_services: Services, status: str, error_code: str, kept: bool
) -> None:
    payload = {"connectorId": 1, "errorCode": error_code, "status": status, "vendorErrorCode": "E42"}

    station16.call("StatusNotification", payload, message_id="s-1")

    notifications = fake_services.repositories.charge_points.notifications  # type: ignore[attr-defined]
    assert notifications == ([("CP-1", "StatusNotification", "s-1", payload)] if kept else [])


# Authorize ------------------------------------------------------------------------------------

TOKENS = [
    IdToken("OK", IdTokenStatus.ACCEPTED),
    IdToken("CHILD", IdTokenStatus.ACCEPTED, parent_id="FLEET-1"),
    IdToken("LATER", IdTokenStatus.ACCEPTED, expiry=NOW + timedelta(days=30)),
    IdToken("LAPSED", IdTokenStatus.ACCEPTED, expiry=NOW - timedelta(seconds=1)),
    IdToken("STOLEN", IdTokenStatus.BLOCKED),
    IdToken("REVOKED", IdTokenStatus.INVALID),
]


@pytest.mark.parametrize(
    ("id_tag", "expected"),
    [
        ("OK", {"status": "Accepted"}),
        ("CHILD", {"status": "Accepted", "parentIdTag": "FLEET-1"}),
        ("LATER", {"status": "Accepted", "expiryDate": "2026-12-23T12:00:00.000Z"}),
        ("LAPSED", {"status": "Expired", "expiryDate": "2026-11-23T11:59:59.000Z"}),
        ("STOLEN", {"status": "Blocked"}),
        ("REVOKED", {"status": "Invalid"}),
        ("NEVER-SEEN", {"status": "Invalid"}),
    ],
)
def test_authorize_answers_the_token_status(
    station16: Station, fake_services: Services, id_tag: str, expected: dict[str, str]
) -> None:
    # Given the registered tokens
    for token in TOKENS:
        fake_services.repositories.id_tokens.put(token)

    # When a charge point asks whether `id_tag` may charge
    result = station16.call("Authorize", {"idTag": id_tag})

    # Then it is told the token's status, expiry and parent
    assert result == {"idTagInfo": expected}


# StartTransaction -----------------------------------------------------------------------------


@pytest.fixture
def tag(fake_services: Services) -> str:
    fake_services.repositories.id_tokens.put(IdToken("TAG", IdTokenStatus.ACCEPTED))
    return "TAG"


def test_start_transaction_assigns_an_integer_id_and_stores_an_active_transaction(
    station16: Station, fake_services: Services, tag: str
) -> None:
    # When a charge point starts a transaction
    result = station16.call("StartTransaction", start_payload())

    # Then it gets an integer transaction id and the token's status
    assert isinstance(result["transactionId"], int)
    assert result["idTagInfo"] == {"status": "Accepted"}
    # And the transaction is stored as active with its start
    transaction = fake_services.repositories.transactions.get("CP-1", str(result["transactionId"]))
    assert transaction is not None
    assert transaction.status is TransactionStatus.ACTIVE
    assert (transaction.connector_id, transaction.id_token, transaction.meter_start) == (1, "TAG", Decimal(1000))
    assert transaction.started_at == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_a_resent_start_transaction_gets_the_same_id_and_no_second_transaction(
    station16: Station, fake_services: Services, tag: str
) -> None:
    # Given a started transaction
    first = station16.call("StartTransaction", start_payload())

    # When the charge point resends the identical request (e.g. after a lost reply)
    again = station16.call("StartTransaction", start_payload())

    # Then it gets the same id and only one transaction exists
    assert again["transactionId"] == first["transactionId"]
    assert len(fake_services.repositories.transactions.list()) == 1


def test_distinct_start_transactions_get_distinct_ids(station16: Station, fake_services: Services, tag: str) -> None:
    # When two different transactions start
    first = station16.call("StartTransaction", start_payload(connectorId=1))
    second = station16.call("StartTransaction", start_payload(connectorId=2))

    # Then they get different ids
    assert first["transactionId"] != second["transactionId"]
    assert len(fake_services.repositories.transactions.list()) == 2


def test_start_transaction_with_an_unknown_tag_is_answered_invalid(station16: Station) -> None:
    # When a charge point starts a transaction for a tag the CSMS does not know
    result = station16.call("StartTransaction", start_payload(idTag="NOBODY"))

    # Then the reply still carries a transaction id, with the tag Invalid
    assert isinstance(result["transactionId"], int)
    assert result["idTagInfo"] == {"status": "Invalid"}


# StopTransaction ------------------------------------------------------------------------------


def test_stop_transaction_completes_it_with_the_energy(station16: Station, fake_services: Services, tag: str) -> None:
    # Given a transaction started at 1000 Wh
    transaction_id = station16.call("StartTransaction", start_payload(meterStart=1000))["transactionId"]

    # When it stops at 8500 Wh
    result = station16.call("StopTransaction", stop_payload(transaction_id, meterStop=8500, reason="EVDisconnected"))

    # Then it is completed with 7500 Wh charged and the reason kept
    assert result == {}
    transaction = fake_services.repositories.transactions.get("CP-1", str(transaction_id))
    assert transaction is not None
    assert transaction.status is TransactionStatus.COMPLETED
    assert (transaction.meter_start, transaction.meter_stop, transaction.energy_wh) == (1000, 8500, 7500)
    assert transaction.stop_reason == "EVDisconnected"
    assert transaction.stopped_at == datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_stop_transaction_without_reason_is_a_local_stop(station16: Station, fake_services: Services, tag: str) -> None:
    # Given a started transaction
    transaction_id = station16.call("StartTransaction", start_payload())["transactionId"]

    # When it stops without a reason
    station16.call("StopTransaction", stop_payload(transaction_id))

    # Then the reason is OCPP's default, Local
    transaction = fake_services.repositories.transactions.get("CP-1", str(transaction_id))
    assert transaction is not None
    assert transaction.stop_reason == "Local"


def test_a_resent_stop_transaction_changes_nothing(station16: Station, fake_services: Services, tag: str) -> None:
    # Given a stopped transaction
    transaction_id = station16.call("StartTransaction", start_payload())["transactionId"]
    station16.call("StopTransaction", stop_payload(transaction_id, meterStop=8500))
    stopped = fake_services.repositories.transactions.get("CP-1", str(transaction_id))

    # When the stop is sent again, and then once more with other values
    station16.call("StopTransaction", stop_payload(transaction_id, meterStop=8500))
    station16.call("StopTransaction", stop_payload(transaction_id, meterStop=9999, timestamp="2026-11-23T11:00:00Z"))

    # Then the transaction is exactly as the first stop left it
    assert fake_services.repositories.transactions.get("CP-1", str(transaction_id)) == stopped
    assert len(fake_services.repositories.transactions.list()) == 1


def test_stop_transaction_of_an_unknown_transaction_is_acknowledged(
    station16: Station, fake_services: Services
) -> None:
    # When a charge point stops a transaction the CSMS never saw
    result = station16.call("StopTransaction", stop_payload(4242))

    # Then it gets an empty CALLRESULT (not an error, or it would retry forever) and nothing is created
    assert result == {}
    assert fake_services.repositories.transactions.list() == []


def test_stop_transaction_with_an_id_tag_answers_its_status(
    station16: Station, fake_services: Services, tag: str
) -> None:
    # Given a started transaction and a blocked tag
    fake_services.repositories.id_tokens.put(IdToken("STOLEN", IdTokenStatus.BLOCKED))
    transaction_id = station16.call("StartTransaction", start_payload())["transactionId"]

    # When it is stopped with the blocked tag
    result = station16.call("StopTransaction", stop_payload(transaction_id, idTag="STOLEN"))

    # Then the reply carries that tag's status
    assert result == {"idTagInfo": {"status": "Blocked"}}


def test_stop_transaction_keeps_its_transaction_data(station16: Station, fake_services: Services, tag: str) -> None:
    # Given a started transaction
    transaction_id = station16.call("StartTransaction", start_payload())["transactionId"]
    data = [energy("2026-11-23T09:30:00Z", "4000"), energy("2026-11-23T10:00:00Z", "8500", context="Transaction.End")]

    # When it stops with transaction data
    station16.call("StopTransaction", stop_payload(transaction_id, transactionData=data))

    # Then the readings are kept verbatim in the transaction's series
    readings = fake_services.repositories.meter_values.list(TransactionSeries("CP-1", str(transaction_id)))
    assert [r.sent for r in readings] == [entry["sampledValue"] for entry in data]


# MeterValues ----------------------------------------------------------------------------------


def test_meter_values_of_a_transaction_are_kept_verbatim(station16: Station, fake_services: Services) -> None:
    # When a charge point sends meter values for transaction 7
    sampled = [
        {"value": "4200", "measurand": "Energy.Active.Import.Register", "unit": "Wh"},
        {"value": "16.1", "measurand": "Current.Import", "phase": "L1", "unit": "A"},
    ]
    result = station16.call(
        "MeterValues",
        {
            "connectorId": 1,
            "transactionId": 7,
            "meterValue": [{"timestamp": "2026-11-23T09:30:00Z", "sampledValue": sampled}],
        },
    )

    # Then they are kept in the transaction's series exactly as sent
    assert result == {}
    readings = fake_services.repositories.meter_values.list(TransactionSeries("CP-1", "7"))
    assert [(r.timestamp, r.sent) for r in readings] == [(datetime(2026, 11, 23, 9, 30, tzinfo=UTC), sampled)]


def test_resent_meter_values_are_not_duplicated(station16: Station, fake_services: Services) -> None:
    payload = {"connectorId": 1, "transactionId": 7, "meterValue": [energy("2026-11-23T09:30:00Z", "4200")]}

    # When the same meter values arrive twice (second time under a new message id)
    station16.call("MeterValues", payload)
    station16.call("MeterValues", payload)

    # Then they are stored once
    meter_values = fake_services.repositories.meter_values
    assert len(meter_values.series[TransactionSeries("CP-1", "7")]) == 1  # type: ignore[attr-defined]
    assert len(meter_values.list(TransactionSeries("CP-1", "7"))) == 1


def test_meter_values_outside_a_transaction_go_to_the_connector_series(
    station16: Station, fake_services: Services
) -> None:
    # When a charge point sends meter values without a transaction
    station16.call("MeterValues", {"connectorId": 0, "meterValue": [energy("2026-11-23T09:30:00Z", "123456")]})

    # Then they are kept in the connector's series
    readings = fake_services.repositories.meter_values.list(ConnectorSeries("CP-1", 0))
    assert [r.sent[0]["value"] for r in readings] == ["123456"]


# DataTransfer and notifications ---------------------------------------------------------------


def test_data_transfer_is_answered_unknown_vendor_and_kept(station16: Station, fake_services: Services) -> None:
    # When a charge point sends a vendor-specific DataTransfer
    payload = {"vendorId": "com.acme", "messageId": "Telemetry", "data": '{"t": 41}'}
    result = station16.call("DataTransfer", payload, message_id="dt-1")

    # Then the CSMS says it knows no such vendor, and keeps the message
    assert result == {"status": "UnknownVendorId"}
    notifications = fake_services.repositories.charge_points.notifications  # type: ignore[attr-defined]
    assert notifications == [("CP-1", "DataTransfer", "dt-1", payload)]


@pytest.mark.parametrize(
    ("action", "payload", "kind"),
    [
        ("DiagnosticsStatusNotification", {"status": "Uploaded"}, "DiagnosticsStatusNotification"),
        ("FirmwareStatusNotification", {"status": "Installed"}, "FirmwareStatusNotification"),
        (
            "SecurityEventNotification",
            {"type": "StartupOfTheDevice", "timestamp": "2026-11-23T11:00:00Z", "techInfo": "cold boot"},
            "SecurityEventNotification",
        ),
        ("LogStatusNotification", {"status": "Uploading", "requestId": 3}, "LogStatusNotification"),
        (
            "SignedFirmwareStatusNotification",
            {"status": "SignatureVerified", "requestId": 4},
            "FirmwareStatusNotification",
        ),
    ],
)
def test_notifications_are_acknowledged_and_kept_as_sent(
    station16: Station, fake_services: Services, action: str, payload: dict[str, Any], kind: str
) -> None:
    # When a charge point sends a notification
    result = station16.call(action, payload, message_id="n-1")

    # Then it is acknowledged and kept as received
    assert result == {}
    notifications = fake_services.repositories.charge_points.notifications  # type: ignore[attr-defined]
    assert notifications == [("CP-1", kind, "n-1", payload)]
