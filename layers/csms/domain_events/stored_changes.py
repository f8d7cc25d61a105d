"""Stored changes: one item before and after one write, as a table's stream reports it.

The adapter that owns a table's layout decodes its stream images into these (see
`csms.adapters.dynamodb.streams`); `csms.domain_events.changes` decides which are domain events.
They hold domain values only, so a store that names its changes imports no event schema.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from csms.billing.invoices import Invoice
from csms.domain.models import ChargePoint, ConnectorStatus, IdToken, Transaction
from csms.domain.security_events import SecurityEvent
from csms.domain.sites import StoredSite

T = TypeVar("T")


@dataclass(frozen=True)
class Change(Generic[T]):
    """`before` None: absent before the write; `after` None: removed by it."""

    charge_point_id: str
    before: T | None
    after: T | None
    # When the store recorded the write (a stream record's time, to the second); None in a change made by hand.
    recorded_at: datetime | None = None


class ProfileChange(Change[ChargePoint]):
    """A charge point's own record (without its connectors, which change on their own)."""


class ConnectorChange(Change[ConnectorStatus]):
    """The latest status of one connector of the charge point."""


class TransactionChange(Change[Transaction]):
    """A charging session of the charge point."""


class InvoiceChange(Change[Invoice]):
    """An invoice for one of the charge point's sessions."""


class SecurityEventChange(Change[SecurityEvent]):
    """A security event of the charge point (stored once; removed only when it expires)."""


@dataclass(frozen=True)
class IdTokenChange:
    """An id token (no domain event: it drives the chargers' local lists, `csms.local_lists`)."""

    id_token: str
    before: IdToken | None
    after: IdToken | None
    recorded_at: datetime | None = None


@dataclass(frozen=True)
class SiteChange:
    """A site: its configuration and live limit."""

    site_id: str
    before: StoredSite | None
    after: StoredSite | None
    recorded_at: datetime | None = None


StoredChange = (
    ProfileChange
    | ConnectorChange
    | TransactionChange
    | InvoiceChange
    | SiteChange
    | SecurityEventChange
    | IdTokenChange
)
