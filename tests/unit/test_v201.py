"""OCPP 2.0.1 actions through the dispatcher over the in-memory fakes: the replies and what is kept.

`Station.call` fails unless the reply is a CALLRESULT whose payload is valid against the official schema.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from csms.composition import Services
from csms.domain.meter_series import ConnectorSeries, TransactionSeries
from csms.domain.models import ConnectorStatus, IdToken, IdTokenStatus, Transaction, TransactionStatus
from tests.fakes import FixedClock
from tests.unit.stations import Station

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
NOW_TEXT = "2026-11-23T12:00:00.000Z"
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ID_TOKEN = {"idToken": "TAG", "type": "ISO14443"}
EVSE = {"id": 1, "connectorId": 1}


def at(minutes: int) -> str:
    return (START + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


def register(value: float, unit: str | None = "Wh", minutes: int = 0, **extra: Any) -> dict[str, Any]:
    """A MeterValue with one energy register sample."""
    sampled: dict[str, Any] = {"value": value, "measurand": "Energy.Active.Import.Register", **extra}
    if unit is not None:
        sampled["unitOfMeasure"] = {"unit": unit}
    return {"timestamp": at(minutes), "sampledValue": [sampled]}


def event(event_type: str, seq_no: int, minutes: int, transaction_id: str = "tx-1", **fields: Any) -> dict[str, Any]:
    transaction_info = {"transactionId": transaction_id, **fields.pop("transaction_info", {})}
    return {
        "eventType": event_type,
        "timestamp": at(minutes),
        "triggerReason": fields.pop("triggerReason", "MeterValuePeriodic"),
        "seqNo": seq_no,
        "transactionInfo": transaction_info,
        **fields,
    }


def stored(services: Services, transaction_id: str = "tx-1") -> Transaction:
    transaction = services.repositories.transactions.get("CS-1", transaction_id)
    assert transaction is not None, f"{transaction_id} was not stored"
    return transaction


@pytest.fixture
def station(station201: Station) -> Station:
    station201.charge_point_id = "CS-1"
    return station201


@pytest.fixture
def tag(fake_services: Services) -> dict[str, str]:
    fake_services.repositories.id_tokens.put(IdToken("TAG", IdTokenStatus.ACCEPTED))
    return ID_TOKEN


# BootNotification, Heartbeat, StatusNotification ----------------------------------------------


def test_boot_notification_is_accepted_and_stores_the_station_details(
    station: Station, fake_services: Services
) -> None:
    # When a charging station boots
    result = station.call(
        "BootNotification",
        {
            "chargingStation": {
                "vendorName": "Acme",
                "model": "DC-50",
                "serialNumber": "SN-201",
                "firmwareVersion": "2.0.9",
            },
            "reason": "PowerUp",
        },
    )

    # Then it is accepted with the configured interval and the CSMS time
    assert result == {
        "status": "Accepted",
        "currentTime": NOW_TEXT,
        "interval": fake_services.settings.heartbeat_interval_seconds,
    }
    # And its details are stored
    charge_point = fake_services.repositories.charge_points.get("CS-1")
    assert charge_point is not None
    assert (charge_point.vendor, charge_point.model) == ("Acme", "DC-50")
    assert (charge_point.serial_number, charge_point.firmware_version) == ("SN-201", "2.0.9")
    assert charge_point.last_boot == NOW


def test_heartbeat_answers_the_current_time_and_writes_at_most_once_per_resolution(
    station: Station, fake_services: Services, clock: FixedClock
) -> None:
    charge_points = fake_services.repositories.charge_points

    # Given a station that beat once
    first = station.call("Heartbeat", {})
    writes = charge_points.writes  # type: ignore[attr-defined]

    # When it beats again a minute later
    clock.advance(minutes=1)
    second = station.call("Heartbeat", {})

    # Then both beats get the CSMS time, and the second costs no write
    assert (first, second) == ({"currentTime": NOW_TEXT}, {"currentTime": "2026-11-23T12:01:00.000Z"})
    assert writes <= 1
    assert charge_points.writes == writes  # type: ignore[attr-defined]


def test_status_notification_keeps_evse_and_connector(station: Station, fake_services: Services) -> None:
    # Given a station that booted (a status alone makes no station known)
    station.call("BootNotification", {"reason": "PowerUp", "chargingStation": {"vendorName": "Acme", "model": "AC-22"}})
    # When it reports connector 1 of EVSE 1 and connector 1 of EVSE 2
    for evse_id, status in [(1, "Occupied"), (2, "Available"), (1, "Faulted")]:
        result = station.call(
            "StatusNotification",
            {"timestamp": at(evse_id), "connectorStatus": status, "evseId": evse_id, "connectorId": 1},
        )
        assert result == {}

    # Then one latest status is kept per (EVSE, connector)
    charge_point = fake_services.repositories.charge_points.get("CS-1")
    assert charge_point is not None
    assert sorted(charge_point.connectors, key=lambda c: (c.evse_id, c.connector_id)) == [
        ConnectorStatus(connector_id=1, status="Faulted", timestamp=START + timedelta(minutes=1), evse_id=1),
        ConnectorStatus(connector_id=1, status="Available", timestamp=START + timedelta(minutes=2), evse_id=2),
    ]


# Authorize ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        (IdToken("TAG", IdTokenStatus.ACCEPTED), {"status": "Accepted"}),
        (
            IdToken("TAG", IdTokenStatus.ACCEPTED, parent_id="FLEET-1"),
            {"status": "Accepted", "groupIdToken": {"idToken": "FLEET-1", "type": "Central"}},
        ),
        (
            IdToken("TAG", IdTokenStatus.ACCEPTED, expiry=NOW + timedelta(days=1)),
            {"status": "Accepted", "cacheExpiryDateTime": "2026-11-24T12:00:00.000Z"},
        ),
        (
            IdToken("TAG", IdTokenStatus.ACCEPTED, expiry=NOW),
            {"status": "Expired", "cacheExpiryDateTime": NOW_TEXT},
        ),
        (IdToken("TAG", IdTokenStatus.BLOCKED), {"status": "Blocked"}),
        (IdToken("OTHER", IdTokenStatus.ACCEPTED), {"status": "Invalid"}),
    ],
)
def test_authorize_answers_the_token_status(
    station: Station, fake_services: Services, token: IdToken, expected: dict[str, Any]
) -> None:
    # Given a registered token
    fake_services.repositories.id_tokens.put(token)

    # When the station authorizes TAG
    result = station.call("Authorize", {"idToken": ID_TOKEN})

    # Then it is told the token's status, cache expiry and group
    assert result == {"idTokenInfo": expected}


# TransactionEvent -----------------------------------------------------------------------------


def test_transaction_event_started_stores_an_active_transaction(
    station: Station, fake_services: Services, tag: dict[str, str]
) -> None:
    # When a station starts a transaction with a token, an EVSE and a begin reading
    result = station.call(
        "TransactionEvent",
        event("Started", 0, 0, triggerReason="Authorized", idToken=tag, evse=EVSE, meterValue=[register(1000)]),
    )

    # Then the token is authorized and the transaction stored as active with its start
    assert result == {"idTokenInfo": {"status": "Accepted"}}
    transaction = stored(fake_services)
    assert transaction.status is TransactionStatus.ACTIVE
    assert (transaction.evse_id, transaction.connector_id, transaction.id_token) == (1, 1, "TAG")
    assert transaction.meter_start == Decimal(1000)
    assert transaction.started_at == START


@pytest.mark.parametrize(
    ("sampled_values", "expected_wh"),
    [
        pytest.param([{"value": 1000}], Decimal(1000), id="no-unit-is-Wh"),
        pytest.param([{"value": 1000, "unitOfMeasure": {"unit": "Wh"}}], Decimal(1000), id="Wh"),
        pytest.param([{"value": 1.5, "unitOfMeasure": {"unit": "kWh"}}], Decimal(1500), id="kWh"),
        pytest.param([{"value": 2, "unitOfMeasure": {"unit": "Wh", "multiplier": 3}}], Decimal(2000), id="multiplier"),
        pytest.param(
            [{"value": 25, "unitOfMeasure": {"unit": "kWh", "multiplier": -1}}], Decimal(2500), id="kWh-negative-mult"
        ),
        pytest.param(
            [{"value": 9, "phase": "L1"}, {"value": 1000}], Decimal(1000), id="per-phase-values-are-not-the-total"
        ),
        pytest.param(
            [{"value": 7400, "measurand": "Power.Active.Import", "unitOfMeasure": {"unit": "W"}}],
            None,
            id="other-measurand",
        ),
    ],
)
def test_started_meter_start_is_read_from_the_energy_register(
    station: Station, fake_services: Services, sampled_values: list[dict[str, Any]], expected_wh: Decimal | None
) -> None:
    # When a transaction starts with these sampled values
    station.call(
        "TransactionEvent",
        event("Started", 0, 0, meterValue=[{"timestamp": at(0), "sampledValue": sampled_values}]),
    )

    # Then its meter start is the energy register in Wh (or unknown)
    assert stored(fake_services).meter_start == expected_wh


def test_ended_completes_the_transaction_with_its_energy_and_reason(
    station: Station, fake_services: Services, tag: dict[str, str]
) -> None:
    # Given a transaction started at 1000 Wh
    station.call("TransactionEvent", event("Started", 0, 0, idToken=tag, evse=EVSE, meterValue=[register(1000)]))

    # When it ends at 6.5 kWh because the EV left
    result = station.call(
        "TransactionEvent",
        event(
            "Ended",
            1,
            60,
            triggerReason="EVDeparted",
            transaction_info={"stoppedReason": "EVDisconnected"},
            meterValue=[register(6.5, "kWh", 60, context="Transaction.End")],
        ),
    )

    # Then it is completed with 5500 Wh charged and the reason kept
    assert result == {}
    transaction = stored(fake_services)
    assert transaction.status is TransactionStatus.COMPLETED
    assert (transaction.meter_start, transaction.meter_stop, transaction.energy_wh) == (1000, 6500, 5500)
    assert transaction.stop_reason == "EVDisconnected"
    assert transaction.stopped_at == START + timedelta(minutes=60)


def test_ended_without_stopped_reason_is_a_local_stop(station: Station, fake_services: Services) -> None:
    # Given a started transaction
    station.call("TransactionEvent", event("Started", 0, 0, meterValue=[register(1000)]))

    # When it ends without a stopped reason
    station.call("TransactionEvent", event("Ended", 1, 30, meterValue=[register(2000, minutes=30)]))

    # Then the reason is OCPP's default, Local
    assert stored(fake_services).stop_reason == "Local"


def test_an_id_token_arriving_in_updated_is_set_on_the_transaction(
    station: Station, fake_services: Services, tag: dict[str, str]
) -> None:
    # Given a transaction started before the driver authorized (plug and charge later)
    station.call("TransactionEvent", event("Started", 0, 0, triggerReason="CablePluggedIn", evse=EVSE))

    # When the token arrives in an Updated event
    result = station.call("TransactionEvent", event("Updated", 1, 2, triggerReason="Authorized", idToken=tag))

    # Then the token is authorized and set on the transaction
    assert result == {"idTokenInfo": {"status": "Accepted"}}
    assert stored(fake_services).id_token == "TAG"


def test_an_updated_id_token_does_not_replace_the_one_that_started_the_transaction(
    station: Station, fake_services: Services, tag: dict[str, str]
) -> None:
    # Given a transaction started with TAG
    station.call("TransactionEvent", event("Started", 0, 0, idToken=tag))

    # When an Updated event carries another token
    station.call("TransactionEvent", event("Updated", 1, 2, idToken={"idToken": "OTHER", "type": "ISO14443"}))

    # Then the transaction keeps TAG
    assert stored(fake_services).id_token == "TAG"


def test_updated_and_ended_without_id_token_answer_no_token_info(station: Station, tag: dict[str, str]) -> None:
    # Given a started transaction
    station.call("TransactionEvent", event("Started", 0, 0, idToken=tag))

    # When it is updated and ended without a token
    updated = station.call("TransactionEvent", event("Updated", 1, 10, meterValue=[register(1500, minutes=10)]))
    ended = station.call("TransactionEvent", event("Ended", 2, 20))

    # Then neither reply carries idTokenInfo
    assert (updated, ended) == ({}, {})


def test_ended_without_started_creates_a_completed_transaction(
    station: Station, fake_services: Services, tag: dict[str, str]
) -> None:
    # When the only event that reaches the CSMS is the end
    station.call(
        "TransactionEvent",
        event(
            "Ended",
            5,
            60,
            idToken=tag,
            evse=EVSE,
            transaction_info={"stoppedReason": "StoppedByEV"},
            meterValue=[register(5000, minutes=60, context="Transaction.End")],
        ),
    )

    # Then a completed transaction is stored with what the end tells
    transaction = stored(fake_services)
    assert transaction.status is TransactionStatus.COMPLETED
    assert (transaction.evse_id, transaction.connector_id, transaction.id_token) == (1, 1, "TAG")
    assert transaction.meter_stop == Decimal(5000)
    assert transaction.stop_reason == "StoppedByEV"
    assert len(fake_services.repositories.transactions.list()) == 1


@pytest.mark.parametrize(
    ("earlier_updates", "ended_readings", "expected_wh"),
    [
        pytest.param(
            [],
            [
                register(1000, minutes=0, context="Transaction.Begin"),
                register(5000, minutes=60, context="Transaction.End"),
            ],
            Decimal(4000),
            id="begin-and-end-in-ended",
        ),
        pytest.param(
            [register(2000, minutes=30)],
            [register(6000, minutes=60, context="Transaction.End")],
            Decimal(4000),
            id="begin-from-an-earlier-updated",
        ),
    ],
)
def test_ended_without_started_counts_the_energy_from_the_earliest_reading(
    station: Station,
    fake_services: Services,
    earlier_updates: list[dict[str, Any]],
    ended_readings: list[dict[str, Any]],
    expected_wh: Decimal,
) -> None:
    # Given a transaction whose Started was lost, with maybe some Updated readings
    for seq_no, reading in enumerate(earlier_updates, start=1):
        station.call("TransactionEvent", event("Updated", seq_no, 30, meterValue=[reading]))

    # When it ends with its readings
    station.call("TransactionEvent", event("Ended", 9, 60, meterValue=ended_readings))

    # Then the energy runs from the earliest reading known to the end
    assert stored(fake_services).energy_wh == expected_wh


def test_a_resent_ended_changes_nothing(station: Station, fake_services: Services) -> None:
    # Given a transaction that started and ended
    station.call("TransactionEvent", event("Started", 0, 0, meterValue=[register(1000)]))
    ended = event(
        "Ended", 1, 60, transaction_info={"stoppedReason": "EVDisconnected"}, meterValue=[register(4000, minutes=60)]
    )
    station.call("TransactionEvent", ended)
    completed = stored(fake_services)
    readings = fake_services.repositories.meter_values.list(TransactionSeries("CS-1", "tx-1"))

    # When the Ended event is resent (e.g. from the offline queue)
    station.call("TransactionEvent", ended)

    # Then the transaction and its readings are unchanged
    assert stored(fake_services) == completed
    assert fake_services.repositories.meter_values.list(TransactionSeries("CS-1", "tx-1")) == readings


def test_energy_is_never_double_counted_across_resends(station: Station, fake_services: Services) -> None:
    # Given a session whose every event is delivered twice
    events = [
        event("Started", 0, 0, meterValue=[register(1000)]),
        event("Updated", 1, 20, meterValue=[register(3000, minutes=20)]),
        event("Updated", 2, 40, meterValue=[register(5000, minutes=40)]),
        event("Ended", 3, 60, meterValue=[register(6500, minutes=60)]),
    ]
    for payload in events:
        station.call("TransactionEvent", payload)
        station.call("TransactionEvent", payload)

    # Then there is one transaction of 5500 Wh, and each reading is stored once
    assert len(fake_services.repositories.transactions.list()) == 1
    assert stored(fake_services).energy_wh == Decimal(5500)
    assert len(fake_services.repositories.meter_values.list(TransactionSeries("CS-1", "tx-1"))) == 4


def test_a_resent_started_keeps_one_transaction(station: Station, fake_services: Services) -> None:
    # Given a started transaction
    started = event("Started", 0, 0, meterValue=[register(1000)])
    station.call("TransactionEvent", started)

    # When Started is resent
    station.call("TransactionEvent", started)

    # Then there is still one active transaction
    assert [t.status for t in fake_services.repositories.transactions.list()] == [TransactionStatus.ACTIVE]


def test_started_without_a_reading_takes_meter_start_from_later_readings(
    station: Station, fake_services: Services
) -> None:
    # Given a transaction started without a meter reading
    station.call("TransactionEvent", event("Started", 0, 0))

    # When readings arrive in Updated and the end
    station.call("TransactionEvent", event("Updated", 1, 10, meterValue=[register(1200, minutes=10)]))
    station.call("TransactionEvent", event("Ended", 2, 60, meterValue=[register(4200, minutes=60)]))

    # Then the energy runs from the earliest reading
    transaction = stored(fake_services)
    assert (transaction.meter_start, transaction.meter_stop, transaction.energy_wh) == (1200, 4200, 3000)


def test_transaction_event_readings_are_kept_verbatim(station: Station, fake_services: Services) -> None:
    # When an Updated event carries several sampled values
    sampled = [
        {"value": 3.25, "measurand": "Energy.Active.Import.Register", "unitOfMeasure": {"unit": "kWh"}},
        {"value": 11000, "measurand": "Power.Active.Import", "unitOfMeasure": {"unit": "W"}},
    ]
    station.call(
        "TransactionEvent", event("Updated", 1, 10, meterValue=[{"timestamp": at(10), "sampledValue": sampled}])
    )

    # Then they are kept exactly as sent in the transaction's series
    readings = fake_services.repositories.meter_values.list(TransactionSeries("CS-1", "tx-1"))
    assert [r.sent for r in readings] == [sampled]


# MeterValues ----------------------------------------------------------------------------------


def test_meter_values_are_kept_in_the_evse_series_without_duplicates(station: Station, fake_services: Services) -> None:
    payload = {"evseId": 2, "meterValue": [register(123.4, "kWh", 5)]}

    # When a station sends the same meter values twice
    first = station.call("MeterValues", payload)
    station.call("MeterValues", payload)

    # Then they are acknowledged and kept once, verbatim, in the EVSE's series
    assert first == {}
    readings = fake_services.repositories.meter_values.list(ConnectorSeries("CS-1", 2))
    assert [r.sent for r in readings] == [payload["meterValue"][0]["sampledValue"]]
    assert len(fake_services.repositories.meter_values.series[ConnectorSeries("CS-1", 2)]) == 1  # type: ignore[attr-defined]


# DataTransfer and notifications ---------------------------------------------------------------


def test_data_transfer_is_answered_unknown_vendor_and_kept(station: Station, fake_services: Services) -> None:
    # When a station sends a vendor-specific DataTransfer
    payload = {"vendorId": "com.acme", "messageId": "Telemetry", "data": {"t": 41}}
    result = station.call("DataTransfer", payload, message_id="dt-1")

    # Then the CSMS says it knows no such vendor, and keeps the message
    assert result == {"status": "UnknownVendorId"}
    notifications = fake_services.repositories.charge_points.notifications  # type: ignore[attr-defined]
    assert notifications == [("CS-1", "DataTransfer", "dt-1", payload)]


NOTIFICATIONS = [
    (
        "NotifyReport",
        {
            "requestId": 1,
            "generatedAt": NOW_TEXT,
            "seqNo": 0,
            "tbc": False,
            "reportData": [
                {
                    "component": {"name": "OCPPCommCtrlr"},
                    "variable": {"name": "HeartbeatInterval"},
                    "variableAttribute": [{"type": "Actual", "value": "300"}],
                }
            ],
        },
    ),
    (
        "NotifyEvent",
        {
            "generatedAt": NOW_TEXT,
            "seqNo": 0,
            "eventData": [
                {
                    "eventId": 1,
                    "timestamp": NOW_TEXT,
                    "trigger": "Alerting",
                    "actualValue": "Faulted",
                    "eventNotificationType": "HardWiredNotification",
                    "component": {"name": "Connector", "evse": {"id": 1, "connectorId": 1}},
                    "variable": {"name": "Problem"},
                }
            ],
        },
    ),
    ("SecurityEventNotification", {"type": "StartupOfTheDevice", "timestamp": NOW_TEXT, "techInfo": "cold"}),
    ("LogStatusNotification", {"status": "Uploaded", "requestId": 7}),
    ("FirmwareStatusNotification", {"status": "Installed", "requestId": 8}),
    (
        "PublishFirmwareStatusNotification",
        {"status": "Published", "location": ["http://lc.local/firmware/0123"], "requestId": 9},
    ),
]


@pytest.mark.parametrize(("action", "payload"), NOTIFICATIONS, ids=[action for action, _ in NOTIFICATIONS])
def test_notifications_are_acknowledged_and_kept_as_sent(
    station: Station, fake_services: Services, action: str, payload: dict[str, Any]
) -> None:
    # When a station sends a notification
    result = station.call(action, payload, message_id="n-1")

    # Then it is acknowledged and kept as received, under its own kind
    assert result == {}
    notifications = fake_services.repositories.charge_points.notifications  # type: ignore[attr-defined]
    assert notifications == [("CS-1", action, "n-1", payload)]


@pytest.mark.parametrize(("status", "kept"), [("Faulted", True), ("Unavailable", False), ("Available", False)])
def test_a_status_notification_of_a_faulted_connector_is_also_kept_as_a_notification(
    station: Station, fake_services: Services, status: str, kept: bool
) -> None:
    payload = {"timestamp": NOW_TEXT, "connectorStatus": status, "evseId": 1, "connectorId": 1}

    station.call("StatusNotification", payload, message_id="s-1")

    notifications = fake_services.repositories.charge_points.notifications  # type: ignore[attr-defined]
    assert notifications == ([("CS-1", "StatusNotification", "s-1", payload)] if kept else [])
