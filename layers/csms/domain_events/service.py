"""Announcing stored changes: the events a change makes, published together."""

from csms.domain_events.changes import events_of
from csms.domain_events.ports import EventPublisher
from csms.domain_events.schemas import DomainEvent
from csms.domain_events.stored_changes import StoredChange


class DomainEventService:
    def __init__(self, publisher: EventPublisher) -> None:
        self._publisher = publisher

    def announce(self, change: StoredChange) -> list[DomainEvent]:
        """Publish the events of `change` (none for most changes); returns them."""
        events = events_of(change)
        if events:
            self._publisher.publish(events)
        return events
