"""Stored changes: one item before and after one write, as a table's stream reports it.

The adapter that owns a table's layout decodes its stream images into these (see
`csms.adapters.dynamodb.streams`); `csms.domain_events.changes` decides which are domain events.
They hold domain values only, so a store that names its changes imports no event schema.
"""

from dataclasses import dataclass
from typing import Generic, TypeVar

from csms.billing.invoices import Invoice
from csms.domain.models import ChargePoint, ConnectorStatus, Transaction

T = TypeVar("T")


@dataclass(frozen=True)
class Change(Generic[T]):
    """`before` None: absent before the write; `after` None: removed by it."""

    charge_point_id: str
    before: T | None
    after: T | None


class ProfileChange(Change[ChargePoint]):
    """A charge point's own record (without its connectors, which change on their own)."""


class ConnectorChange(Change[ConnectorStatus]):
    """The latest status of one connector of the charge point."""


class TransactionChange(Change[Transaction]):
    """A charging session of the charge point."""


class InvoiceChange(Change[Invoice]):
    """An invoice for one of the charge point's sessions."""


StoredChange = ProfileChange | ConnectorChange | TransactionChange | InvoiceChange
