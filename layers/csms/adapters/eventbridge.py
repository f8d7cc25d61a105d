"""Domain events on the EventBridge bus (`PutEvents`), as few requests as its limits allow."""

from collections.abc import Iterator, Sequence
from functools import cached_property
from typing import Any

import boto3

from csms.domain_events.schemas import EVENT_SOURCE, DomainEvent

PUT_EVENTS_BATCH = 10  # EventBridge's limit of entries per PutEvents request
PUT_EVENTS_BYTES = 256 * 1024  # and of their total size
_TIME_BYTES = 14  # what an entry's Time counts for in that size


class EventBridgePublisher:
    def __init__(self, bus_name: str) -> None:
        self._bus_name = bus_name

    @cached_property
    def _client(self) -> Any:
        return boto3.client("events")

    def publish(self, events: Sequence[DomainEvent]) -> list[DomainEvent]:
        refused: list[DomainEvent] = []
        for batch in _requests([(event, self._entry(event)) for event in events]):
            response = self._client.put_events(Entries=[entry for _, entry in batch])
            if response.get("FailedEntryCount"):
                # Entries answers each entry in order; a failed one has an ErrorCode.
                results = response.get("Entries") or []
                refused.extend(
                    event
                    for position, (event, _) in enumerate(batch)
                    if position >= len(results) or results[position].get("ErrorCode")
                )
        return refused

    def _entry(self, event: DomainEvent) -> dict[str, Any]:
        return {
            "Source": EVENT_SOURCE,
            "DetailType": event.detail_type,
            "Detail": event.detail_json(),
            "EventBusName": self._bus_name,
            "Time": event.occurred_at,
        }


Entry = tuple[DomainEvent, dict[str, Any]]


def _requests(entries: Sequence[Entry]) -> Iterator[list[Entry]]:
    """The entries in order, in requests of at most `PUT_EVENTS_BATCH` entries and `PUT_EVENTS_BYTES`."""
    batch: list[Entry] = []
    size = 0
    for event, entry in entries:
        entry_size = _entry_size(entry)
        if batch and (len(batch) == PUT_EVENTS_BATCH or size + entry_size > PUT_EVENTS_BYTES):
            yield batch
            batch, size = [], 0
        batch.append((event, entry))
        size += entry_size
    if batch:
        yield batch


def _entry_size(entry: dict[str, Any]) -> int:
    """An entry's size as EventBridge counts it: Time, then Source, DetailType and Detail in UTF-8."""
    return _TIME_BYTES + sum(len(entry[part].encode()) for part in ("Source", "DetailType", "Detail"))
