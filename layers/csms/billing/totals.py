"""What billing adds up for the overview: per UTC day and month, the energy of the sessions that ended
then and the totals of their invoices per currency.

Each session is added once, in the same atomic write that takes it out of the billing queue
(`InvoiceRepository.issue`, `skip`, `fail`): the totals are exact without reading any invoice, and
a session counts once billing has seen it (within the billing interval of its end).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from csms.domain.models import Transaction


@dataclass(frozen=True)
class BilledTotals:
    energy_wh: Decimal = Decimal(0)
    revenue: Mapping[str, Decimal] = field(default_factory=dict)  # currency -> sum of invoice totals


def day_of(at: datetime) -> str:
    """The UTC day: "2026-11-23"."""
    return at.astimezone(UTC).strftime("%Y-%m-%d")


def month_of(at: datetime) -> str:
    """The UTC month: "2026-11"."""
    return at.astimezone(UTC).strftime("%Y-%m")


def periods_of(transaction: Transaction) -> tuple[str, str]:
    """The day and month a session counts for: those it ended in (started in, if it has no end)."""
    ended = transaction.stopped_at or transaction.started_at
    return day_of(ended), month_of(ended)
