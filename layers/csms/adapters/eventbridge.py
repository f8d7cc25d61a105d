"""Domain events on the EventBridge bus (`PutEvents`)."""

from collections.abc import Sequence
from functools import cached_property
from typing import Any

import boto3

from csms.domain_events.ports import EventPublishError
from csms.domain_events.schemas import EVENT_SOURCE, DomainEvent

PUT_EVENTS_BATCH = 10  # EventBridge's limit per PutEvents request


class EventBridgePublisher:
    def __init__(self, bus_name: str) -> None:
        self._bus_name = bus_name

    @cached_property
    def _client(self) -> Any:
        return boto3.client("events")

    def publish(self, events: Sequence[DomainEvent]) -> None:
        for start in range(0, len(events), PUT_EVENTS_BATCH):
            batch = events[start : start + PUT_EVENTS_BATCH]
            response = self._client.put_events(
                Entries=[
                    {
                        "Source": EVENT_SOURCE,
                        "DetailType": event.detail_type,
                        "Detail": event.detail_json(),
                        "EventBusName": self._bus_name,
                        "Time": event.occurred_at,
                    }
                    for event in batch
                ]
            )
            if response.get("FailedEntryCount"):
                raise EventPublishError(f"{response['FailedEntryCount']} of {len(batch)} events were not put")
