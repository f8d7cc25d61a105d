"""Errors recorded on a transaction, on the fake and on DynamoDB: why billing could not price it
(`InvoiceRepository.fail`, which also takes it out of the billing queue) and why the latest cost update
could not (`TransactionRepository.record_cost_update_error`, on an active transaction only).
"""

from dataclasses import replace
from datetime import timedelta

from csms.billing.invoices import InvoiceRepository, invoice_id
from csms.domain.models import RecordedError
from csms.domain.ports import TransactionRepository
from tests.contracts.test_invoice_repository import T0, active, complete, completed, invoice_of

ERROR = RecordedError("meter reading: 1E+30 Wh is not an energy register reading", T0 + timedelta(hours=2))


def test_a_failed_transaction_leaves_the_queue_once_with_its_error_and_gets_no_invoice(
    transactions: TransactionRepository, invoices: InvoiceRepository
) -> None:
    done = complete(transactions, "CP-1", "1")

    assert invoices.fail(done, ERROR) is True
    assert invoices.fail(done, replace(ERROR, reason="again")) is False
    assert invoices.issue(invoice_of(done), done) is False

    assert invoices.pending() == []
    assert invoices.get(invoice_id("CP-1", "1")) is None
    assert transactions.get("CP-1", "1") == replace(done, billing_error=ERROR)


def test_an_issued_or_unqueued_transaction_does_not_fail(
    transactions: TransactionRepository, invoices: InvoiceRepository
) -> None:
    done = complete(transactions, "CP-1", "1")
    invoices.issue(invoice_of(done), done)
    running = transactions.create_once(active("CP-1", "running"))

    assert invoices.fail(done, ERROR) is False
    assert invoices.fail(running, ERROR) is False
    assert invoices.fail(completed(active("CP-1", "unknown")), ERROR) is False
    assert transactions.get("CP-1", "1") == done
    assert transactions.get("CP-1", "running") == running


def test_the_latest_cost_update_error_is_kept_on_an_active_transaction(transactions: TransactionRepository) -> None:
    running = transactions.create_once(active("CP-1", "1"))
    later = RecordedError("again", ERROR.at + timedelta(minutes=15))

    assert transactions.record_cost_update_error(running, ERROR) is True
    assert transactions.record_cost_update_error(running, later) is True

    assert transactions.get("CP-1", "1") == replace(running, cost_update_error=later)
    # Completing it keeps what it holds
    assert transactions.complete(completed(replace(running, cost_update_error=later)))
    stored = transactions.get("CP-1", "1")
    assert stored is not None
    assert stored.cost_update_error == later


def test_no_cost_update_error_is_kept_on_a_completed_or_unknown_transaction(
    transactions: TransactionRepository,
) -> None:
    done = complete(transactions, "CP-1", "1")

    assert transactions.record_cost_update_error(done, ERROR) is False
    assert transactions.record_cost_update_error(active("CP-1", "unknown"), ERROR) is False
    assert transactions.get("CP-1", "1") == done
    assert transactions.get("CP-1", "unknown") is None
