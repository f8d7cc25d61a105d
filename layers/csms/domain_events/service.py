"""Announcing stored changes: the events of a batch of changes, published together."""

from collections.abc import Sequence

from csms.domain_events.changes import events_of
from csms.domain_events.ports import EventPublisher
from csms.domain_events.schemas import DomainEvent
from csms.domain_events.stored_changes import StoredChange
from csms.observability import logger


class DomainEventService:
    def __init__(self, publisher: EventPublisher) -> None:
        self._publisher = publisher

    def announce(self, changes: Sequence[StoredChange]) -> list[list[DomainEvent] | None]:
        """Publish the events of `changes` (none for most changes) in as few requests as the bus takes; for each
        change, in order, its events, or None when one of them was not accepted (the change is to be retried).
        Raises when a request failed: which of its events were published is not known."""
        events = [_events_of(change) for change in changes]
        published = [event for of_change in events if of_change for event in of_change]
        refused = {id(event) for event in self._publisher.publish(published)} if published else set()
        return [
            None if of_change is None or any(id(event) in refused for event in of_change) else of_change
            for of_change in events
        ]


def _events_of(change: StoredChange) -> list[DomainEvent] | None:
    """None: the change makes no valid event (logged); the others of its batch are published all the same."""
    try:
        return events_of(change)
    except Exception:
        logger.exception("No events made of a stored change", extra={"change": type(change).__name__})
        return None
