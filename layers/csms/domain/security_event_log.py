"""The security event log: the CSMS's own findings and what chargers report, kept alike."""

import hashlib
import uuid
from collections.abc import Mapping
from datetime import datetime

from csms.domain.pagination import Page
from csms.domain.ports import Clock
from csms.domain.security_event_types import is_critical
from csms.domain.security_events import (
    SecurityEvent,
    SecurityEventFilter,
    SecurityEventRepository,
    SecurityEventSource,
)
from csms.timeutil import format_timestamp


class SecurityEventLog:
    """The `SecurityEvents` port over its repository."""

    def __init__(self, repository: SecurityEventRepository, clock: Clock) -> None:
        self._repository = repository
        self._clock = clock

    def record(self, charge_point_id: str, type: str, detail: Mapping[str, object], critical: bool) -> None:
        self._repository.put(
            SecurityEvent(
                event_id=uuid.uuid4().hex,
                charge_point_id=charge_point_id,
                type=type,
                timestamp=self._clock.now(),
                detail=dict(detail),
                critical=critical,
                source=SecurityEventSource.CSMS,
            )
        )

    def reported(self, charge_point_id: str, type: str, timestamp: datetime, tech_info: str | None) -> SecurityEvent:
        """A SecurityEventNotification (either version); critical per the OCPP security event list. Its id is
        derived from what it says, so a resent notification is stored once."""
        said = f"{charge_point_id}\0{type}\0{format_timestamp(timestamp)}\0{tech_info or ''}"
        event = SecurityEvent(
            event_id=hashlib.sha256(said.encode()).hexdigest()[:32],
            charge_point_id=charge_point_id,
            type=type,
            timestamp=timestamp,
            detail={"techInfo": tech_info} if tech_info is not None else {},
            critical=is_critical(type),
            source=SecurityEventSource.CHARGER,
        )
        self._repository.put(event)
        return event

    def page(self, where: SecurityEventFilter, limit: int, next_token: str | None = None) -> Page[SecurityEvent]:
        return self._repository.page(where, limit, next_token)
