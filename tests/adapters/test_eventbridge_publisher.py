"""The EventBridge publisher: events in requests within PutEvents' limits (10 entries, 256 KB), and the entries
the bus did not accept given back. The bus on moto; an answer with failed entries, which moto never gives, from
botocore's Stubber."""

import contextlib
from datetime import UTC, datetime

import boto3
import pytest
from botocore.stub import Stubber

from csms.adapters.eventbridge import EventBridgePublisher
from csms.domain_events.schemas import ChargePointBooted
from tests.adapters.conftest import Requests

BUS = "csms-test-events"
AT = datetime(2026, 5, 1, tzinfo=UTC)


def _booted(number: int, vendor: str = "Acme") -> ChargePointBooted:
    return ChargePointBooted(
        event_id=f"ChargePointBooted:CP-{number}", occurred_at=AT, charge_point_id=f"CP-{number}", vendor=vendor
    )


@pytest.fixture
def publisher(requests: Requests) -> EventBridgePublisher:
    events = boto3.client("events")
    with contextlib.suppress(events.exceptions.ResourceAlreadyExistsException):  # one moto for the package
        events.create_event_bus(Name=BUS)
    requests.take()
    return EventBridgePublisher(BUS)


def test_events_go_ten_to_a_request(publisher: EventBridgePublisher, requests: Requests) -> None:
    assert publisher.publish([_booted(number) for number in range(23)]) == []
    assert requests.take() == {"eventbridge.PutEvents": 3}


def test_large_events_go_in_requests_of_at_most_256_kb(publisher: EventBridgePublisher, requests: Requests) -> None:
    large = [_booted(number, vendor="x" * 100_000) for number in range(5)]  # two fit in a request, not three

    assert publisher.publish(large) == []
    assert requests.take() == {"eventbridge.PutEvents": 3}


def test_the_events_the_bus_did_not_accept_are_given_back(publisher: EventBridgePublisher) -> None:
    events = [_booted(number) for number in range(3)]
    with Stubber(publisher._client) as bus:
        bus.add_response(
            "put_events",
            {
                "FailedEntryCount": 1,
                "Entries": [
                    {"EventId": "1"},
                    {"ErrorCode": "InternalFailure", "ErrorMessage": "try again"},
                    {"EventId": "3"},
                ],
            },
        )
        assert publisher.publish(events) == [events[1]]
