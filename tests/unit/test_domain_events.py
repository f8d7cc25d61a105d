"""Domain events: which stream images make which event, and the stream handler's partial failures."""

import json
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from boto3.dynamodb.types import TypeSerializer

from csms import tables
from csms.events import changes
from csms.events.changes import charge_point_events, invoice_events, transaction_events
from csms.events.docs import render
from csms.events.schemas import (
    ChargePointBooted,
    ChargePointStatusChanged,
    DomainEvent,
    InvoiceIssued,
    TransactionEnded,
    TransactionStarted,
)
from csms.handlers import domain_events
from csms.local.events import lambda_context

PROFILE = {"chargePointId": "CP-1", "itemKey": "#PROFILE", "vendor": "Acme", "model": "AC-22"}
CONNECTOR = {
    "chargePointId": "CP-1",
    "itemKey": "CONNECTOR#0#1",
    "connectorId": Decimal(1),
    "evseId": Decimal(0),
    "status": "Available",
    "timestamp": "2026-01-01T10:00:00.000Z",
}
STARTED = {
    "chargePointId": "CP-1",
    "transactionId": "7",
    "ocppVersion": "1.6",
    "status": "Active",
    "startedAt": "2026-01-01T10:00:00.000Z",
    "connectorId": Decimal(1),
    "idToken": "TAG-1",
    "meterStart": Decimal(100),
}
COMPLETED = {
    **STARTED,
    "status": "Completed",
    "stoppedAt": "2026-01-01T11:00:00.000Z",
    "meterStop": Decimal(7100),
    "energyWh": Decimal(7000),
    "stopReason": "Local",
}


def test_a_boot_is_announced_once_per_boot() -> None:
    booted = {**PROFILE, "lastBoot": "2026-01-01T10:00:00.000Z", "lastSeen": "2026-01-01T10:00:00.000Z"}
    [event] = charge_point_events(PROFILE, booted)
    assert isinstance(event, ChargePointBooted)
    assert event.event_id == "ChargePointBooted:CP-1:2026-01-01T10:00:00.000Z"
    assert (event.vendor, event.model, event.occurred_at.isoformat()) == ("Acme", "AC-22", "2026-01-01T10:00:00+00:00")
    # A heartbeat (lastSeen only) is no boot.
    assert charge_point_events(booted, {**booted, "lastSeen": "2026-01-01T10:05:00.000Z"}) == []
    # A replayed stream record gives the same id.
    assert charge_point_events(PROFILE, booted) == [event]


def test_a_connector_status_change_is_announced_with_the_previous_status() -> None:
    [first] = charge_point_events({}, CONNECTOR)
    assert isinstance(first, ChargePointStatusChanged)
    assert (first.connector_id, first.evse_id, first.status, first.previous_status) == (1, 0, "Available", None)
    charging = {**CONNECTOR, "status": "Charging", "timestamp": "2026-01-01T10:01:00.000Z"}
    [second] = charge_point_events(CONNECTOR, charging)
    assert isinstance(second, ChargePointStatusChanged)
    assert (second.status, second.previous_status) == ("Charging", "Available")
    assert second.event_id == "ChargePointStatusChanged:CP-1:CONNECTOR#0#1:2026-01-01T10:01:00.000Z:Charging"
    assert second.event_id != first.event_id
    # The same status again (a repeated StatusNotification) is no change.
    assert charge_point_events(charging, {**charging, "timestamp": "2026-01-01T10:02:00.000Z"}) == []


def test_other_charge_point_items_and_removals_are_not_events() -> None:
    notification = {"chargePointId": "CP-1", "itemKey": "NOTIFICATION#x", "kind": "SecurityEvent"}
    assert charge_point_events({}, notification) == []
    assert charge_point_events(CONNECTOR, {}) == []
    assert charge_point_events(PROFILE, {}) == []


def test_a_transaction_is_announced_when_it_starts_and_when_it_ends() -> None:
    [started] = transaction_events({}, STARTED)
    assert isinstance(started, TransactionStarted)
    assert started.event_id == "TransactionStarted:CP-1:7"
    assert (started.connector_id, started.id_token, started.meter_start) == (1, "TAG-1", Decimal(100))
    # Meter values and other updates of an active transaction are not events.
    assert transaction_events(STARTED, {**STARTED, "meterStop": Decimal(500)}) == []
    [ended] = transaction_events(STARTED, COMPLETED)
    assert isinstance(ended, TransactionEnded)
    assert ended.event_id == "TransactionEnded:CP-1:7"
    assert (ended.energy_wh, ended.stop_reason, ended.occurred_at.hour) == (Decimal(7000), "Local", 11)
    # Already ended: a later update does not end it again; removal is no event.
    assert transaction_events(COMPLETED, {**COMPLETED, "stopReason": "Other"}) == []
    assert transaction_events(COMPLETED, {}) == []


def test_a_transaction_stored_already_ended_makes_both_events() -> None:
    assert [type(event) for event in transaction_events({}, COMPLETED)] == [TransactionStarted, TransactionEnded]


def test_an_invoice_is_announced_when_it_is_stored() -> None:
    invoice = {
        "invoiceId": "INV-1",
        "transactionId": "7",
        "chargePointId": "CP-1",
        "idToken": "TAG-1",
        "currency": "EUR",
        "net": "10.00",
        "tax": "1.90",
        "total": "11.90",
        "issuedAt": "2026-01-02T00:00:00.000Z",
    }
    [issued] = invoice_events({}, invoice)
    assert isinstance(issued, InvoiceIssued)
    assert (issued.event_id, issued.total) == ("InvoiceIssued:INV-1", "11.90")
    assert invoice_events(invoice, {**invoice, "paid": True}) == []


def test_the_detail_is_camel_case_json_with_a_schema_version() -> None:
    [event] = transaction_events({}, STARTED)
    detail = json.loads(event.detail_json())
    assert detail["eventId"] == "TransactionStarted:CP-1:7"
    assert detail["schemaVersion"] == 1
    assert detail["chargePointId"] == "CP-1"
    assert detail["occurredAt"] == "2026-01-01T10:00:00Z"
    assert TransactionStarted.model_validate_json(event.detail_json()) == event


# The stream handler


class RecordingPublisher:
    def __init__(self, fail_for: str | None = None) -> None:
        self.published: list[DomainEvent] = []
        self._fail_for = fail_for

    def publish(self, events: Sequence[DomainEvent]) -> None:
        if self._fail_for and any(event.charge_point_id == self._fail_for for event in events):
            raise RuntimeError("PutEvents failed")
        self.published.extend(events)


def _stream_arn(spec: tables.TableSpec) -> str:
    return f"arn:aws:dynamodb:us-east-1:123456789012:table/test-{spec.logical_name}/stream/2026-01-01T00:00:00.000"


def _record(spec: tables.TableSpec, sequence: str, old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    serializer = TypeSerializer()
    image = {name: serializer.serialize(value) for name, value in new.items()}
    dynamodb: dict[str, Any] = {"SequenceNumber": sequence, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    if new:
        dynamodb["NewImage"] = image
    if old:
        dynamodb["OldImage"] = {name: serializer.serialize(value) for name, value in old.items()}
    return {
        "eventID": sequence,
        "eventName": "MODIFY" if old and new else ("INSERT" if new else "REMOVE"),
        "eventSource": "aws:dynamodb",
        "eventSourceARN": _stream_arn(spec),
        "awsRegion": "us-east-1",
        "dynamodb": dynamodb,
    }


@pytest.fixture
def publisher(monkeypatch: pytest.MonkeyPatch) -> RecordingPublisher:
    recording = RecordingPublisher(fail_for="CP-2")
    monkeypatch.setattr(domain_events, "_publisher", lambda: recording)
    return recording


def test_the_handler_publishes_the_events_of_each_record(publisher: RecordingPublisher) -> None:
    event = {
        "Records": [
            _record(tables.TRANSACTIONS, "1", {}, STARTED),
            _record(tables.CHARGE_POINTS, "2", {}, CONNECTOR),
            _record(tables.TRANSACTIONS, "3", STARTED, {**STARTED, "meterStop": Decimal(1)}),  # no event
        ]
    }
    response = domain_events.publish_changes(event, lambda_context("domain_events"))  # type: ignore[arg-type]
    assert response == {"batchItemFailures": []}
    assert [type(e) for e in publisher.published] == [TransactionStarted, ChargePointStatusChanged]


def test_the_handler_reports_only_the_records_it_could_not_publish(publisher: RecordingPublisher) -> None:
    event = {
        "Records": [
            _record(tables.TRANSACTIONS, "1", {}, STARTED),
            _record(tables.CHARGE_POINTS, "2", {}, {**CONNECTOR, "chargePointId": "CP-2"}),
            _record(tables.CHARGE_POINTS, "3", CONNECTOR, {**CONNECTOR, "status": "Charging"}),
        ]
    }
    response = domain_events.publish_changes(event, lambda_context("domain_events"))  # type: ignore[arg-type]
    assert response == {"batchItemFailures": [{"itemIdentifier": "2"}]}
    assert [e.event_id for e in publisher.published] == [
        "TransactionStarted:CP-1:7",
        "ChargePointStatusChanged:CP-1:CONNECTOR#0#1:2026-01-01T10:00:00.000Z:Charging",
    ]


def test_every_streamed_table_has_events_and_only_those() -> None:
    streamed = {spec.logical_name for spec in tables.TABLES if spec.stream}
    assert set(changes.EVENTS_BY_TABLE) == streamed
    for spec in tables.TABLES:
        request = spec.create_table_request("t")
        assert ("StreamSpecification" in request) == spec.stream


def test_docs_events_md_is_current() -> None:
    """`docs/events.md` is generated from the models: `python -m csms.events.docs > docs/events.md`."""
    path = Path(__file__).resolve().parents[2] / "docs" / "events.md"
    assert path.read_text() == render(), "docs/events.md is stale: python -m csms.events.docs > docs/events.md"
