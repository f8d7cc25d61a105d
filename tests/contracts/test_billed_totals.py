"""What `InvoiceRepository` adds up as it takes sessions out of the billing queue: per UTC day and month
in which a session ended, its energy, and its invoice's total per currency, each session exactly once."""

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from csms.billing.invoices import InvoiceRepository
from csms.billing.totals import BilledTotals
from csms.domain.models import RecordedError
from csms.domain.ports import TransactionRepository
from tests.contracts.test_invoice_repository import T0, active, complete, completed, invoice_of

DAY, MONTH, NEXT_DAY = "2026-03-10", "2026-03", "2026-03-11"


def test_nothing_billed_is_nothing(invoices: InvoiceRepository) -> None:
    assert invoices.totals(DAY) == BilledTotals()
    assert invoices.totals(MONTH) == BilledTotals(Decimal(0), {})


def test_an_issued_invoice_adds_its_sessions_energy_and_total_to_the_day_and_month_the_session_ended(
    transactions: TransactionRepository, invoices: InvoiceRepository
) -> None:
    # Given two sessions invoiced in EUR (1.5 kWh each) and one in CHF, all ended on the same day
    for transaction_id in ("1", "2"):
        done = complete(transactions, "CP-1", transaction_id)
        assert invoices.issue(invoice_of(done), done)
    swiss = complete(transactions, "CP-2", "3")
    assert invoices.issue(invoice_of(swiss, currency="CHF", total=Decimal("1.25")), swiss)

    # Then
    expected = BilledTotals(Decimal(4500), {"EUR": Decimal("1.08"), "CHF": Decimal("1.25")})
    assert invoices.totals(DAY) == expected
    assert invoices.totals(MONTH) == expected
    assert invoices.totals(NEXT_DAY) == BilledTotals()


def test_a_session_skipped_or_failed_adds_its_energy_only_and_a_refused_one_nothing(
    transactions: TransactionRepository, invoices: InvoiceRepository
) -> None:
    skipped = complete(transactions, "CP-1", "1")
    failed = complete(transactions, "CP-1", "2")
    assert invoices.skip(skipped, "noTariff")
    assert invoices.fail(failed, RecordedError("no price", T0))

    # Refused: already out of the queue, or never in it
    assert not invoices.skip(skipped, "noTariff")
    assert not invoices.issue(invoice_of(failed), failed)
    assert not invoices.skip(transactions.create_once(active("CP-1", "running")), "noTariff")

    assert invoices.totals(DAY) == BilledTotals(Decimal(3000), {})


def test_a_session_counts_for_the_day_it_ended_whenever_it_is_billed(
    transactions: TransactionRepository, invoices: InvoiceRepository
) -> None:
    # Given a session that ended just before midnight (UTC), invoiced the next day
    late = transactions.create_once(active("CP-1", "late"))
    ended = replace(completed(late), stopped_at=late.started_at.replace(hour=23, minute=59))
    assert transactions.complete(ended)

    assert invoices.issue(invoice_of(ended, issued_at=T0 + timedelta(days=1)), ended)

    assert invoices.totals(DAY).energy_wh == Decimal(1500)
    assert invoices.totals(NEXT_DAY) == BilledTotals()
