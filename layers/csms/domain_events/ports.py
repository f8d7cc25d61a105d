"""What announcing domain events needs from the outside: somewhere to publish them."""

from collections.abc import Sequence
from typing import Protocol

from csms.domain_events.schemas import DomainEvent


class EventPublisher(Protocol):
    def publish(self, events: Sequence[DomainEvent]) -> list[DomainEvent]:
        """Publish the events; returns those the bus did not accept (to be retried: consumers deduplicate).
        Raises when a request failed."""
