"""Domain events: which stored changes make which event, announcing them, and the stream handler."""

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from csms import tables
from csms.billing.invoices import Invoice
from csms.composition import Services
from csms.domain.models import ChargePoint, ConnectorStatus, Transaction, TransactionStatus
from csms.domain_events.changes import events_of
from csms.domain_events.docs import render
from csms.domain_events.schemas import (
    ChargePointBooted,
    ChargePointStatusChanged,
    InvoiceIssued,
    SiteChanged,
    TransactionEnded,
    TransactionStarted,
)
from csms.domain_events.service import DomainEventService
from csms.domain_events.stored_changes import (
    ConnectorChange,
    InvoiceChange,
    ProfileChange,
    StoredChange,
    TransactionChange,
)
from csms.handlers import domain_events
from csms.handlers.domain_events import NothingPublishedError
from csms.wire.versions import OcppVersion
from tests.fakes import RecordingPublisher
from tests.stream_records import stream_record

T0 = datetime(2026, 1, 1, 10, 0, tzinfo=UTC)
PLUS_TWO = timezone(timedelta(hours=2))
PROFILE = ChargePoint("CP-1", vendor="Acme", model="AC-22")
BOOTED = replace(PROFILE, last_boot=T0, last_seen=T0)
AVAILABLE = ConnectorStatus(connector_id=1, evse_id=0, status="Available", timestamp=T0)
CHARGING = replace(AVAILABLE, status="Charging", timestamp=datetime(2026, 1, 1, 10, 1, tzinfo=UTC))
STARTED = Transaction(
    charge_point_id="CP-1",
    transaction_id="7",
    ocpp_version=OcppVersion.V16,
    status=TransactionStatus.ACTIVE,
    started_at=T0,
    connector_id=1,
    id_token="TAG-1",
    meter_start=Decimal(100),
)
COMPLETED = replace(
    STARTED,
    status=TransactionStatus.COMPLETED,
    stopped_at=datetime(2026, 1, 1, 11, 0, tzinfo=UTC),
    meter_stop=Decimal(7100),
    stop_reason="Local",
)
INVOICE = Invoice(
    invoice_id="INV-1",
    transaction_id="7",
    charge_point_id="CP-1",
    id_token="TAG-1",
    tariff_id="standard",
    currency="EUR",
    lines=(),
    net=Decimal("10.00"),
    tax=Decimal("1.90"),
    total=Decimal("11.90"),
    issued_at=datetime(2026, 1, 2, tzinfo=UTC),
    started_at=T0,
    stopped_at=datetime(2026, 1, 1, 11, 0, tzinfo=UTC),
    energy_wh=Decimal(7000),
)


def test_a_boot_is_announced_once_per_boot() -> None:
    [event] = events_of(ProfileChange("CP-1", PROFILE, BOOTED))
    assert isinstance(event, ChargePointBooted)
    assert event.event_id == "ChargePointBooted:CP-1:2026-01-01T10:00:00.000Z"
    assert (event.vendor, event.model, event.occurred_at.isoformat()) == ("Acme", "AC-22", "2026-01-01T10:00:00+00:00")
    # A heartbeat (last seen only) is no boot, nor is a first record without a boot.
    assert events_of(ProfileChange("CP-1", BOOTED, replace(BOOTED, last_seen=CHARGING.timestamp))) == []
    assert events_of(ProfileChange("CP-1", None, PROFILE)) == []
    # A replayed stream record gives the same id.
    assert events_of(ProfileChange("CP-1", PROFILE, BOOTED)) == [event]


def test_a_connector_status_change_is_announced_with_the_previous_status() -> None:
    [first] = events_of(ConnectorChange("CP-1", None, AVAILABLE))
    assert isinstance(first, ChargePointStatusChanged)
    assert (first.connector_id, first.evse_id, first.status, first.previous_status) == (1, 0, "Available", None)
    [second] = events_of(ConnectorChange("CP-1", AVAILABLE, CHARGING))
    assert isinstance(second, ChargePointStatusChanged)
    assert (second.status, second.previous_status) == ("Charging", "Available")
    assert second.event_id == "ChargePointStatusChanged:CP-1:CONNECTOR#0#1:2026-01-01T10:01:00.000Z:Charging"
    assert second.event_id != first.event_id
    # A 1.6 connector (of no EVSE) is named as it always was.
    [v16] = events_of(ConnectorChange("CP-1", None, replace(AVAILABLE, evse_id=None)))
    assert v16.event_id == "ChargePointStatusChanged:CP-1:CONNECTOR#-#1:2026-01-01T10:00:00.000Z:Available"
    # The same status again (a repeated StatusNotification) is no change.
    assert events_of(ConnectorChange("CP-1", CHARGING, replace(CHARGING, timestamp=COMPLETED.stopped_at))) == []


def test_removals_are_not_events() -> None:
    assert events_of(ConnectorChange("CP-1", AVAILABLE, None)) == []
    assert events_of(ProfileChange("CP-1", BOOTED, None)) == []
    assert events_of(TransactionChange("CP-1", COMPLETED, None)) == []
    assert events_of(InvoiceChange("CP-1", INVOICE, None)) == []


def test_a_transaction_is_announced_when_it_starts_and_when_it_ends() -> None:
    [started] = events_of(TransactionChange("CP-1", None, STARTED))
    assert isinstance(started, TransactionStarted)
    assert started.event_id == "TransactionStarted:CP-1:7"
    assert (started.connector_id, started.id_token, started.meter_start) == (1, "TAG-1", Decimal(100))
    # Meter values and other updates of an active transaction are not events.
    assert events_of(TransactionChange("CP-1", STARTED, replace(STARTED, id_token="TAG-2"))) == []
    [ended] = events_of(TransactionChange("CP-1", STARTED, COMPLETED))
    assert isinstance(ended, TransactionEnded)
    assert ended.event_id == "TransactionEnded:CP-1:7"
    assert (ended.energy_wh, ended.stop_reason, ended.occurred_at.hour) == (Decimal(7000), "Local", 11)
    # Already ended: a later update does not end it again.
    assert events_of(TransactionChange("CP-1", COMPLETED, replace(COMPLETED, stop_reason="Other"))) == []


def test_a_transaction_stored_already_ended_makes_both_events() -> None:
    events = events_of(TransactionChange("CP-1", None, COMPLETED))
    assert [type(event) for event in events] == [TransactionStarted, TransactionEnded]


def test_an_invoice_is_announced_when_it_is_stored() -> None:
    [issued] = events_of(InvoiceChange("CP-1", None, INVOICE))
    assert isinstance(issued, InvoiceIssued)
    assert (issued.event_id, issued.net, issued.tax, issued.total) == ("InvoiceIssued:INV-1", "10.00", "1.90", "11.90")
    assert events_of(InvoiceChange("CP-1", INVOICE, INVOICE)) == []


def test_the_detail_is_camel_case_json_with_a_schema_version() -> None:
    [event] = events_of(TransactionChange("CP-1", None, STARTED))
    detail = json.loads(event.detail_json())
    assert detail["eventId"] == "TransactionStarted:CP-1:7"
    assert detail["schemaVersion"] == 1
    assert detail["chargePointId"] == "CP-1"
    assert detail["occurredAt"] == "2026-01-01T10:00:00Z"
    assert TypeAdapter(TransactionStarted).validate_json(event.detail_json()) == event


@pytest.mark.parametrize(
    "change",
    [
        ProfileChange("CP-1", None, replace(BOOTED, vendor="Société €", last_boot=T0.replace(microsecond=120))),
        ConnectorChange("CP-1", AVAILABLE, replace(CHARGING, error_code="OtherError")),
        TransactionChange("CP-1", None, replace(COMPLETED, meter_stop=Decimal("7100.50"))),
        TransactionChange("CP-1", None, replace(STARTED, started_at=datetime(2026, 1, 1, 12, tzinfo=PLUS_TWO))),
        InvoiceChange("CP-1", None, INVOICE),
    ],
    ids=["booted", "status", "ended", "offset", "invoice"],
)
def test_the_detail_is_written_as_the_documented_schema_writes_it(change: StoredChange) -> None:
    """The JSON consumers receive is what pydantic writes from the documented schema, byte for byte."""
    for event in events_of(change):
        assert event.detail_json() == TypeAdapter(type(event)).dump_json(event, by_alias=True).decode()


def test_the_changes_of_a_batch_are_announced_by_publishing_their_events_together() -> None:
    publisher = RecordingPublisher()
    announcing = DomainEventService(publisher)

    announced = announcing.announce(
        [TransactionChange("CP-1", None, COMPLETED), TransactionChange("CP-1", COMPLETED, COMPLETED)]
    )

    assert publisher.requests == 1
    assert announced == [publisher.published, []]
    assert [type(event) for event in publisher.published] == [TransactionStarted, TransactionEnded]
    assert announcing.announce([TransactionChange("CP-1", COMPLETED, COMPLETED)]) == [[]]
    assert publisher.requests == 1  # nothing to publish, no request


def test_a_change_with_an_event_the_bus_did_not_accept_is_not_announced() -> None:
    publisher = RecordingPublisher(refusing={"CP-2"})
    announcing = DomainEventService(publisher)
    on_cp2 = replace(COMPLETED, charge_point_id="CP-2")

    announced = announcing.announce([TransactionChange("CP-1", None, STARTED), TransactionChange("CP-2", None, on_cp2)])

    assert announced == [publisher.published, None]
    assert [event.event_id for event in publisher.published] == ["TransactionStarted:CP-1:7"]


def test_a_change_that_makes_no_valid_event_is_not_announced_and_the_others_are() -> None:
    publisher = RecordingPublisher()
    undated = replace(AVAILABLE, timestamp=None)  # type: ignore[arg-type]

    announced = DomainEventService(publisher).announce(
        [ConnectorChange("CP-1", None, undated), TransactionChange("CP-1", None, STARTED)]
    )

    assert announced == [None, publisher.published]
    assert len(publisher.published) == 1


# The stream handler, on stream records as DynamoDB delivers them

CONNECTOR_ITEM = {
    "chargePointId": "CP-1",
    "itemKey": "CONNECTOR#0#1",
    "connectorId": Decimal(1),
    "evseId": Decimal(0),
    "status": "Available",
    "timestamp": "2026-01-01T10:00:00.000Z",
}
TRANSACTION_ITEM = {
    "chargePointId": "CP-1",
    "transactionId": "7",
    "ocppVersion": "1.6",
    "status": "Active",
    "startedAt": "2026-01-01T10:00:00.000Z",
    "connectorId": Decimal(1),
    "idToken": "TAG-1",
    "meterStart": Decimal(100),
}


@pytest.fixture
def services(fake_services: Services, monkeypatch: pytest.MonkeyPatch) -> Services:
    monkeypatch.setattr("csms.handlers.domain_events.get_services", lambda: fake_services)
    return fake_services


def test_the_handler_publishes_the_events_of_each_record(services: Services, publisher: RecordingPublisher) -> None:
    event = {
        "Records": [
            stream_record(tables.TRANSACTIONS, "1", {}, TRANSACTION_ITEM),
            stream_record(tables.CHARGE_POINTS, "2", {}, CONNECTOR_ITEM),
            stream_record(tables.TRANSACTIONS, "3", TRANSACTION_ITEM, {**TRANSACTION_ITEM, "idToken": "TAG-2"}),  # none
            stream_record(
                tables.CHARGE_POINTS, "4", {}, {"chargePointId": "CP-1", "itemKey": "NOTIFICATION#x"}
            ),  # none
        ]
    }
    response = domain_events.publish_changes(event)
    assert response == {"batchItemFailures": []}
    assert [type(e) for e in publisher.published] == [TransactionStarted, ChargePointStatusChanged]
    assert publisher.requests == 1  # the batch's events together


def test_when_the_bus_fails_every_record_with_a_change_is_reported(
    services: Services, publisher: RecordingPublisher
) -> None:
    publisher.failing = True
    event = {
        "Records": [
            stream_record(tables.CHARGE_POINTS, "1", {}, CONNECTOR_ITEM),
            stream_record(tables.CHARGE_POINTS, "2", {}, {"chargePointId": "CP-1", "itemKey": "NOTIFICATION#x"}),
            stream_record(tables.TRANSACTIONS, "3", TRANSACTION_ITEM, {**TRANSACTION_ITEM, "idToken": "TAG-2"}),
        ]
    }

    response = domain_events.publish_changes(event)

    assert response == {"batchItemFailures": [{"itemIdentifier": "1"}, {"itemIdentifier": "3"}]}


def test_the_handler_reports_only_the_records_it_could_not_publish(
    services: Services, publisher: RecordingPublisher
) -> None:
    publisher.refusing.add("CP-2")
    event = {
        "Records": [
            stream_record(tables.TRANSACTIONS, "1", {}, TRANSACTION_ITEM),
            stream_record(tables.CHARGE_POINTS, "2", {}, {**CONNECTOR_ITEM, "chargePointId": "CP-2"}),
            stream_record(tables.CHARGE_POINTS, "3", CONNECTOR_ITEM, {**CONNECTOR_ITEM, "status": "Charging"}),
        ]
    }
    response = domain_events.publish_changes(event)
    assert response == {"batchItemFailures": [{"itemIdentifier": "2"}]}
    assert [e.event_id for e in publisher.published] == [
        "TransactionStarted:CP-1:7",
        "ChargePointStatusChanged:CP-1:CONNECTOR#0#1:2026-01-01T10:00:00.000Z:Charging",
    ]


def test_a_batch_of_which_nothing_could_be_published_fails_the_invocation(
    services: Services, publisher: RecordingPublisher
) -> None:
    """As a failed function, for the errors alarm; the stream retries the batch all the same."""
    publisher.refusing.add("CP-2")
    event = {"Records": [stream_record(tables.CHARGE_POINTS, "1", {}, {**CONNECTOR_ITEM, "chargePointId": "CP-2"})]}

    with pytest.raises(NothingPublishedError):
        domain_events.publish_changes(event)
    assert publisher.published == []


def test_the_stream_images_are_read_as_the_tables_reads_see_items(
    services: Services, publisher: RecordingPublisher
) -> None:
    event = {
        "Records": [stream_record(tables.TRANSACTIONS, "1", {}, {**TRANSACTION_ITEM, "meterStart": Decimal("100.5")})]
    }

    domain_events.publish_changes(event)

    [started] = publisher.published
    assert isinstance(started, TransactionStarted)
    assert started.meter_start == Decimal("100.5")
    assert started.occurred_at == T0


def test_a_deletion_is_dated_by_its_stream_record(services: Services, publisher: RecordingPublisher) -> None:
    """A deleted item has no time of its own: the stream record's is when it was deleted."""
    site_item = {
        "siteId": "S1",
        "name": "Depot",
        "gridLimitAmps": Decimal(63),
        "phases": Decimal(3),
        "voltage": Decimal(230),
        "minChargingCurrentAmps": Decimal(6),
        "timeZone": "UTC",
        "limitSchedule": [],
        "updatedAt": "2026-01-01T10:00:00.000Z",
    }
    deleted_at = datetime(2026, 1, 2, 8, 30, tzinfo=UTC)

    domain_events.publish_changes(
        {"Records": [stream_record(tables.SITES, "1", site_item, {}, created=int(deleted_at.timestamp()))]}
    )

    assert publisher.published == [
        SiteChanged(event_id="SiteChanged:S1:deleted:2026-01-01T10:00:00.000Z", occurred_at=deleted_at, site_id="S1")
    ]


def test_docs_events_md_is_current() -> None:
    """`docs/events.md` is generated from the models: `python -m csms.domain_events.docs > docs/events.md`."""
    path = Path(__file__).resolve().parents[2] / "docs" / "events.md"
    assert path.read_text() == render(), "docs/events.md is stale: python -m csms.domain_events.docs > docs/events.md"
