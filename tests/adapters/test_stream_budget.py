"""What a batch of stream records costs the stream function in AWS requests: its domain events put together
(PutEvents, ten entries a request) and its chargers' sites read together (one BatchGetItem), never a request per
record; each site's rebalance requested once. Counts on moto, not timings: a botocore `before-call` hook on the
default session, registered before the repositories and the publisher build their clients."""

import contextlib
from collections import Counter
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import boto3
import pytest

from csms import tables
from csms.adapters.eventbridge import EventBridgePublisher
from csms.domain.sites import WiringChange
from csms.handlers import domain_events
from tests.adapters.conftest import Requests
from tests.fakes import RecordingWorkflows
from tests.stream_records import stream_record
from tests.wired import WiredServices

BUS = "csms-test-events"
AT = datetime(2026, 5, 1, tzinfo=UTC)
CHARGERS = 25  # at sites S0 and S1 in turn


@pytest.fixture
def publisher(aws: None) -> EventBridgePublisher:
    """The bus on moto in the place of the recording one (`dynamodb_services`)."""
    events = boto3.client("events")
    with contextlib.suppress(events.exceptions.ResourceAlreadyExistsException):  # one moto for the package
        events.create_event_bus(Name=BUS)
    return EventBridgePublisher(BUS)


@pytest.fixture
def services(requests: Requests, dynamodb_services: WiredServices, monkeypatch: pytest.MonkeyPatch) -> WiredServices:
    """Over DynamoDB on moto, built after the counting hook (`requests` comes first); 25 chargers at two sites."""
    for index in range(CHARGERS):
        dynamodb_services.repositories.charge_points.register(
            f"CP-{index:02d}", None, AT, wiring=WiringChange(f"S{index % 2}")
        )
    monkeypatch.setattr("csms.handlers.domain_events.get_services", lambda: dynamodb_services)
    requests.take()
    return dynamodb_services


def _status_changes() -> list[dict[str, Any]]:
    """Each charger's connector goes from Available to Charging."""
    records = []
    for index in range(CHARGERS):
        available = {
            "chargePointId": f"CP-{index:02d}",
            "itemKey": "CONNECTOR#0#1",
            "connectorId": Decimal(1),
            "evseId": Decimal(0),
            "status": "Available",
            "timestamp": "2026-05-01T10:00:00.000Z",
        }
        charging = {**available, "status": "Charging", "timestamp": "2026-05-01T10:01:00.000Z"}
        records.append(stream_record(tables.CHARGE_POINTS, str(index), available, charging))
    return records


def test_a_batch_puts_its_events_together_and_reads_its_chargers_sites_once(
    services: WiredServices, requests: Requests, rebalances: RecordingWorkflows
) -> None:
    response = domain_events.publish_changes({"Records": _status_changes()})

    assert response == {"batchItemFailures": []}
    assert requests.take() == Counter(
        {
            "eventbridge.PutEvents": 3,  # 25 events, 10 a request
            "dynamodb.BatchGetItem": 1,  # the 25 chargers' sites
            "dynamodb.UpdateItem": 2,  # the rebalance request of each of the two sites
        }
    )
    assert sorted(execution_input["siteId"] for _, execution_input in rebalances.started) == ["S0", "S1"]
