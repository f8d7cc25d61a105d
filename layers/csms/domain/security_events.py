"""Security events: what charge points report (SecurityEventNotification) and what the CSMS finds itself.

Both are kept alike, one `SecurityEvent` each, and listed together; a critical one is announced
(`SecurityEventRaised`) and counted. Whether a charger's event is critical follows the OCPP 2.0.1
security event list (`csms.domain.security_event_types`); the CSMS's own findings say so themselves.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from csms.domain.pagination import Page


class SecurityEventSource(StrEnum):
    CHARGER = "charger"  # a SecurityEventNotification
    CSMS = "csms"  # a finding of the CSMS: a refused CSR, repeated wrong passwords, ...


@dataclass(frozen=True)
class SecurityEvent:
    event_id: str
    charge_point_id: str
    type: str
    timestamp: datetime
    detail: Mapping[str, object] = field(default_factory=dict)
    critical: bool = False
    source: SecurityEventSource = SecurityEventSource.CSMS


@dataclass(frozen=True)
class SecurityEventFilter:
    """None: no filter; `since` includes events at that time."""

    charge_point_id: str | None = None
    type: str | None = None
    since: datetime | None = None

    def matches(self, event: SecurityEvent) -> bool:
        return (
            self.charge_point_id in (None, event.charge_point_id)
            and self.type in (None, event.type)
            and (self.since is None or event.timestamp >= self.since)
        )


class SecurityEventRepository(Protocol):
    def put(self, event: SecurityEvent) -> None:
        """Store the event; one with the same charge point, time and id replaces itself (a resend)."""

    def page(self, where: SecurityEventFilter, limit: int, next_token: str | None = None) -> Page[SecurityEvent]:
        """Events `where` matches, newest first; raises `InvalidPageTokenError`."""


class SecurityEvents(Protocol):
    """Where security events are recorded and listed."""

    def record(self, charge_point_id: str, type: str, detail: Mapping[str, object], critical: bool) -> None:
        """Record a finding of the CSMS about `charge_point_id`, now."""

    def page(self, where: SecurityEventFilter, limit: int, next_token: str | None = None) -> Page[SecurityEvent]:
        """Events `where` matches, newest first; raises `InvalidPageTokenError`."""
