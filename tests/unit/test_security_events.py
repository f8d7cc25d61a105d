"""Security events: what chargers of both versions report, the CSMS's findings, which are critical, and
how the critical ones are announced (`SecurityEventRaised`) and counted."""

from datetime import UTC, datetime
from typing import Any

import pytest
from boto3.dynamodb.types import TypeSerializer

from csms import tables
from csms.adapters.dynamodb.security_events import DynamoDbSecurityEventRepository
from csms.composition import Services
from csms.domain.security_events import SecurityEvent, SecurityEventFilter, SecurityEventSource
from csms.domain_events.changes import events_of
from csms.domain_events.schemas import SecurityEventRaised
from csms.domain_events.stored_changes import SecurityEventChange
from csms.handlers import domain_events
from csms.metric_names import CRITICAL_SECURITY_EVENTS
from csms.wire.versions import OcppVersion
from tests.fakes import FixedClock, RecordingPublisher
from tests.metrics import PublishedMetrics
from tests.unit.stations import Station

WHEN = "2026-11-23T11:58:00.000Z"
WHEN_TIME = datetime(2026, 11, 23, 11, 58, tzinfo=UTC)


def stored(services: Services, where: SecurityEventFilter | None = None) -> list[SecurityEvent]:
    return services.security_events.page(where or SecurityEventFilter(), 100).items


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201])
@pytest.mark.parametrize(
    ("event_type", "critical"),
    [
        ("TamperDetectionActivated", True),
        ("StartupOfTheDevice", True),
        ("InvalidCsmsCertificate", True),
        ("InvalidChargePointCertificate", True),  # the 1.6 whitepaper's name
        ("InvalidMessages", False),
        ("FailedToAuthenticateAtCsms", False),
        ("VendorDoorAjar", False),  # a type of its own making
    ],
)
def test_a_reported_security_event_is_kept_critical_per_the_ocpp_list(
    fake_services: Services, version: OcppVersion, event_type: str, critical: bool
) -> None:
    station = Station(fake_services, version)

    answer = station.call("SecurityEventNotification", {"type": event_type, "timestamp": WHEN, "techInfo": "x"})

    assert answer == {}
    [event] = stored(fake_services)
    assert (event.charge_point_id, event.type, event.timestamp, event.critical, event.source, event.detail) == (
        "CP-1",
        event_type,
        WHEN_TIME,
        critical,
        SecurityEventSource.CHARGER,
        {"techInfo": "x"},
    )


def test_a_reported_security_event_is_still_kept_as_a_notification_for_the_overview(
    fake_services: Services, station201: Station
) -> None:
    station201.call("SecurityEventNotification", {"type": "ResetOrReboot", "timestamp": WHEN})

    [latest] = fake_services.overview.now().latest_security_events
    assert latest.details == {"type": "ResetOrReboot", "timestamp": WHEN}


def test_a_resent_security_event_is_kept_once(fake_services: Services, station16: Station) -> None:
    payload = {"type": "MemoryExhaustion", "timestamp": WHEN}
    station16.call("SecurityEventNotification", payload, message_id="m-1")
    station16.call("SecurityEventNotification", payload, message_id="m-2")

    assert len(stored(fake_services)) == 1


def test_a_finding_of_the_csms_is_recorded_now(fake_services: Services, clock: FixedClock) -> None:
    fake_services.security_events.record("CP-9", "InvalidCsr", {"reason": "wrong CN"}, critical=False)

    [event] = stored(fake_services, SecurityEventFilter(charge_point_id="CP-9"))
    assert (event.type, event.timestamp, event.detail, event.critical, event.source) == (
        "InvalidCsr",
        clock.now(),
        {"reason": "wrong CN"},
        False,
        SecurityEventSource.CSMS,
    )


def _event(critical: bool) -> SecurityEvent:
    return SecurityEvent("e-1", "CP-1", "TamperDetectionActivated", WHEN_TIME, {"techInfo": "lid"}, critical)


@pytest.mark.parametrize(
    ("change", "announced"),
    [
        (SecurityEventChange("CP-1", None, _event(critical=True)), True),
        (SecurityEventChange("CP-1", None, _event(critical=False)), False),
        (SecurityEventChange("CP-1", _event(critical=True), _event(critical=True)), False),  # resent
        (SecurityEventChange("CP-1", _event(critical=True), None), False),  # expired
    ],
)
def test_a_critical_security_event_is_announced_when_stored(change: SecurityEventChange, announced: bool) -> None:
    expected = [
        SecurityEventRaised(
            event_id="SecurityEventRaised:CP-1:e-1",
            occurred_at=WHEN_TIME,
            charge_point_id="CP-1",
            security_event_id="e-1",
            type="TamperDetectionActivated",
            source="csms",
            detail={"techInfo": "lid"},
        )
    ]
    assert events_of(change) == (expected if announced else [])


class StoredItems:
    """What the DynamoDB adapter writes, captured as items (the stream's images)."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def put_item(self, Item: dict[str, Any]) -> None:
        self.items.append(Item)


def test_the_stream_handler_announces_and_counts_critical_events(
    fake_services: Services,
    publisher: RecordingPublisher,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("csms.handlers.domain_events.get_services", lambda: fake_services)
    written = StoredItems()
    adapter = DynamoDbSecurityEventRepository(written)
    adapter.put(_event(critical=True))
    adapter.put(_event(critical=False))
    serializer = TypeSerializer()
    arn = f"arn:aws:dynamodb:us-east-1:123456789012:table/test-{tables.SECURITY_EVENTS.logical_name}/stream/x"
    records = [
        {
            "eventSourceARN": arn,
            "dynamodb": {
                "SequenceNumber": str(number),
                "NewImage": {name: serializer.serialize(value) for name, value in item.items()},
            },
        }
        for number, item in enumerate(written.items)
    ]
    published = PublishedMetrics(capsys)

    assert domain_events.publish_changes({"Records": records}) == {"batchItemFailures": []}

    assert [type(event) for event in publisher.published] == [SecurityEventRaised]
    published.publish_buffered()
    assert published.total(CRITICAL_SECURITY_EVENTS) == 1
