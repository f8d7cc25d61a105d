"""Invoicing completed sessions exactly once.

Completing a transaction puts it in the billing queue (a sparse index). A billing run prices
each queued transaction with the tariff copy it started with, and issues its invoice in one
atomic write that also takes the transaction out of the queue, on condition that it is still
queued and that the invoice (its id derived from the transaction) does not exist yet. Two runs
at once, a replayed run or a run that crashed half-way can therefore neither invoice a session
twice nor lose one: whatever did not commit is still queued for the next run.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from csms.billing.failures import SessionFailure, SessionFailures
from csms.billing.totals import BilledTotals
from csms.domain.models import RecordedError, Transaction
from csms.domain.pagination import Page
from csms.domain.ports import Clock
from csms.domain.running_cost import session_usage
from csms.domain.tariffs import Line, price_session
from csms.metric_names import BILLING_FAILURES, BILLING_RUNS, INVOICES_ISSUED
from csms.observability import metrics

# Invoice ids are UUIDv5 of (charge point, transaction): the same session always gets the same id.
INVOICE_NAMESPACE = uuid.UUID("6f1c7a52-3b0e-4a8e-9a57-0d1c2b3e4f50")

NO_TARIFF = "noTariff"


def invoice_id(charge_point_id: str, transaction_id: str) -> str:
    return str(uuid.uuid5(INVOICE_NAMESPACE, f"{charge_point_id}\n{transaction_id}"))


@dataclass(frozen=True)
class Invoice:
    invoice_id: str
    transaction_id: str
    charge_point_id: str
    id_token: str | None
    tariff_id: str
    currency: str
    lines: tuple[Line, ...]
    net: Decimal
    tax: Decimal
    total: Decimal
    issued_at: datetime
    started_at: datetime
    stopped_at: datetime
    energy_wh: Decimal


@dataclass(frozen=True)
class InvoiceFilter:
    transaction_id: str | None = None
    charge_point_id: str | None = None
    id_token: str | None = None
    issued_from: datetime | None = None  # inclusive
    issued_to: datetime | None = None  # exclusive


@dataclass(frozen=True)
class Skipped:
    charge_point_id: str
    transaction_id: str
    reason: str


@dataclass
class BillingRun:
    invoiced: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    # Sessions this run could not price (out of the queue, `billing_error` recorded) or failed on (still queued).
    failed: list[SessionFailure] = field(default_factory=list)


class InvoiceRepository(Protocol):
    def pending(self) -> list[Transaction]:
        """Completed transactions in the billing queue (possibly some already taken out since)."""

    def issue(self, invoice: Invoice, transaction: Transaction) -> bool:
        """Atomically store the invoice, take the transaction out of the queue, and add its energy and
        the invoice's total to the totals of its `periods_of`.

        False, writing nothing, if the transaction is no longer queued or the invoice exists.
        """

    def skip(self, transaction: Transaction, reason: str) -> bool:
        """Take the transaction out of the queue without an invoice, adding its energy to the totals of
        its `periods_of`, atomically; False, writing nothing, if no longer queued."""

    def fail(self, transaction: Transaction, error: RecordedError) -> bool:
        """Like `skip`, keeping why it cannot be billed."""

    def totals(self, period: str) -> BilledTotals:
        """What leaving the queue added up for a day or month (`day_of`, `month_of`)."""

    def get(self, invoice_id: str) -> Invoice | None: ...

    def page(self, where: InvoiceFilter, limit: int, next_token: str | None = None) -> Page[Invoice]:
        """Matching invoices, in no particular order; raises `InvalidPageTokenError`."""

    def list(self, where: InvoiceFilter) -> list[Invoice]:
        """Every matching invoice, oldest issued first."""


class BillingService:
    def __init__(self, invoices: InvoiceRepository, clock: Clock) -> None:
        self._invoices = invoices
        self._clock = clock

    def run(self) -> BillingRun:
        """Invoice every queued transaction; safe to run concurrently and to repeat.

        Each transaction on its own (`csms.billing.failures`): one that cannot be priced leaves the
        queue with its `billing_error`, and is not tried again.
        """
        failures = SessionFailures(BILLING_FAILURES)
        result = BillingRun(failed=failures.failed)
        for transaction in self._invoices.pending():
            at = self._clock.now()
            with failures.isolated(transaction, at, self._invoices.fail):
                self._bill(transaction, at, result)
        failures.publish()
        metrics.count(BILLING_RUNS)
        metrics.count(INVOICES_ISSUED, len(result.invoiced))
        return result

    def _bill(self, transaction: Transaction, at: datetime, result: BillingRun) -> None:
        if transaction.tariff is None or transaction.stopped_at is None:
            if self._invoices.skip(transaction, NO_TARIFF):
                result.skipped.append(Skipped(transaction.charge_point_id, transaction.transaction_id, NO_TARIFF))
            return
        invoice = self.invoice_for(transaction, at)
        if self._invoices.issue(invoice, transaction):
            result.invoiced.append(invoice.invoice_id)

    @staticmethod
    def invoice_for(transaction: Transaction, issued_at: datetime) -> Invoice:
        tariff = transaction.tariff
        assert tariff is not None
        assert transaction.stopped_at is not None
        price = price_session(tariff, session_usage(transaction, transaction.stopped_at, transaction.meter_stop))
        return Invoice(
            invoice_id=invoice_id(transaction.charge_point_id, transaction.transaction_id),
            transaction_id=transaction.transaction_id,
            charge_point_id=transaction.charge_point_id,
            id_token=transaction.id_token,
            tariff_id=tariff.tariff_id,
            currency=price.currency,
            lines=price.lines,
            net=price.net,
            tax=price.tax,
            total=price.total,
            issued_at=issued_at,
            started_at=transaction.started_at,
            stopped_at=transaction.stopped_at,
            energy_wh=transaction.energy_wh or Decimal(0),
        )
