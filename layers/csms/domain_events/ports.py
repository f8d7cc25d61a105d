"""What announcing domain events needs from the outside: somewhere to publish them."""

from collections.abc import Sequence
from typing import Protocol

from csms.domain_events.schemas import DomainEvent


class EventPublishError(Exception):
    """Some events were not accepted; the stream record is retried (consumers deduplicate)."""


class EventPublisher(Protocol):
    def publish(self, events: Sequence[DomainEvent]) -> None:
        """Publish every event or raise `EventPublishError` (a retry may publish some again)."""
