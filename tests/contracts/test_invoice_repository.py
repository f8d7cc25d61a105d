"""The `InvoiceRepository` contract: the billing queue, issuing or skipping each session once, and listings.

Completing a transaction (`TransactionRepository.complete`) queues it; issuing its invoice or skipping
it takes it out, both only while it is queued, and an invoice is issued once.
"""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from csms.billing.invoices import Invoice, InvoiceFilter, InvoiceRepository, invoice_id
from csms.domain.models import Transaction, TransactionStatus
from csms.domain.pagination import InvalidPageTokenError
from csms.domain.ports import TransactionRepository
from csms.domain.tariffs import Line, Tariff
from csms.wire.versions import OcppVersion
from tests.contracts.paging import FOREIGN_TOKENS, assert_pages_hold_each_once

T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
TARIFF = Tariff("default", "EUR", price_per_kwh=Decimal("0.30"), tax_rate=Decimal("0.19"))


def active(charge_point_id: str, transaction_id: str) -> Transaction:
    return Transaction(
        charge_point_id=charge_point_id,
        transaction_id=transaction_id,
        ocpp_version=OcppVersion.V201,
        status=TransactionStatus.ACTIVE,
        started_at=T0,
        evse_id=1,
        connector_id=1,
        id_token="TAG-1",
        meter_start=Decimal(0),
        tariff=TARIFF,
    )


def completed(transaction: Transaction) -> Transaction:
    return replace(
        transaction,
        status=TransactionStatus.COMPLETED,
        stopped_at=T0 + timedelta(hours=1),
        meter_stop=Decimal(1500),
        stop_reason="Local",
    )


def complete(transactions: TransactionRepository, charge_point_id: str, transaction_id: str) -> Transaction:
    """A session started and completed: it is queued for billing."""
    started = transactions.create_once(active(charge_point_id, transaction_id))
    done = completed(started)
    assert transactions.complete(done)
    return done


def invoice_of(transaction: Transaction, issued_at: datetime = T0 + timedelta(hours=2), **fields: object) -> Invoice:
    assert transaction.stopped_at is not None
    invoice = Invoice(
        invoice_id=invoice_id(transaction.charge_point_id, transaction.transaction_id),
        transaction_id=transaction.transaction_id,
        charge_point_id=transaction.charge_point_id,
        id_token=transaction.id_token,
        tariff_id="default",
        currency="EUR",
        lines=(
            Line("energy", Decimal("1.5"), Decimal("0.30"), Decimal("0.45")),
            Line("tax", Decimal("0.45"), Decimal("0.19"), Decimal("0.09")),
        ),
        net=Decimal("0.45"),
        tax=Decimal("0.09"),
        total=Decimal("0.54"),
        issued_at=issued_at,
        started_at=transaction.started_at,
        stopped_at=transaction.stopped_at,
        energy_wh=Decimal(1500),
    )
    return replace(invoice, **fields)  # type: ignore[arg-type]


def queued(invoices: InvoiceRepository) -> list[tuple[str, str]]:
    return sorted((t.charge_point_id, t.transaction_id) for t in invoices.pending())


def by_id(invoice: Invoice) -> str:
    return invoice.invoice_id


def test_a_completed_transaction_is_queued_whole_and_an_active_one_is_not(
    transactions: TransactionRepository, invoices: InvoiceRepository
) -> None:
    transactions.create_once(active("CP-1", "running"))

    done = complete(transactions, "CP-1", "1")

    assert invoices.pending() == [done]


def test_issuing_stores_the_invoice_and_takes_the_transaction_out_of_the_queue(
    transactions: TransactionRepository, invoices: InvoiceRepository
) -> None:
    done = complete(transactions, "CP-1", "1")
    other = complete(transactions, "CP-2", "1")
    invoice = invoice_of(done)

    assert invoices.issue(invoice, done) is True

    assert invoices.get(invoice.invoice_id) == invoice
    assert invoices.pending() == [other]


def test_an_invoice_is_issued_once(transactions: TransactionRepository, invoices: InvoiceRepository) -> None:
    done = complete(transactions, "CP-1", "1")
    first = invoice_of(done)
    invoices.issue(first, done)

    assert invoices.issue(invoice_of(done, total=Decimal("9.99")), done) is False

    assert invoices.get(first.invoice_id) == first


def test_an_existing_invoice_is_not_overwritten_and_its_transaction_stays_queued(
    transactions: TransactionRepository, invoices: InvoiceRepository
) -> None:
    # Given an invoice issued for one session
    one, other = complete(transactions, "CP-1", "1"), complete(transactions, "CP-1", "2")
    issued = invoice_of(one)
    invoices.issue(issued, one)

    # When another session's issue carries the same invoice id
    assert invoices.issue(replace(invoice_of(other), invoice_id=issued.invoice_id), other) is False

    # Then nothing was written: the first invoice stands and the other session is still queued
    assert invoices.get(issued.invoice_id) == issued
    assert invoices.pending() == [other]


def test_no_invoice_is_issued_for_a_transaction_not_in_the_queue(
    transactions: TransactionRepository, invoices: InvoiceRepository
) -> None:
    running = transactions.create_once(active("CP-1", "running"))
    never_stored = completed(active("CP-1", "unknown"))

    for transaction in (running, completed(running), never_stored):
        assert invoices.issue(invoice_of(completed(transaction)), transaction) is False
        assert invoices.get(invoice_id("CP-1", transaction.transaction_id)) is None
    assert invoices.pending() == []


def test_a_skipped_transaction_leaves_the_queue_once_and_gets_no_invoice(
    transactions: TransactionRepository, invoices: InvoiceRepository
) -> None:
    done = complete(transactions, "CP-1", "1")

    assert invoices.skip(done, "noTariff") is True
    assert invoices.skip(done, "noTariff") is False
    assert invoices.issue(invoice_of(done), done) is False

    assert invoices.pending() == []
    assert invoices.get(invoice_id("CP-1", "1")) is None


def test_an_issued_or_unqueued_transaction_is_not_skipped(
    transactions: TransactionRepository, invoices: InvoiceRepository
) -> None:
    done = complete(transactions, "CP-1", "1")
    invoices.issue(invoice_of(done), done)
    running = transactions.create_once(active("CP-1", "running"))

    assert invoices.skip(done, "noTariff") is False
    assert invoices.skip(running, "noTariff") is False
    assert invoices.skip(completed(active("CP-1", "unknown")), "noTariff") is False
    assert invoices.pending() == []


def test_an_unknown_invoice_is_none(invoices: InvoiceRepository) -> None:
    assert invoices.get(invoice_id("CP-1", "1")) is None


MARCH_10 = T0
APRIL_1 = datetime(2026, 4, 1, tzinfo=UTC)


@pytest.fixture
def issued(transactions: TransactionRepository, invoices: InvoiceRepository) -> dict[str, Invoice]:
    """Invoices of three chargers and two tokens, issued from February to May, by name."""
    sessions = {
        "february": ("CP-1", "TAG-1", datetime(2026, 2, 27, 23, 59, tzinfo=UTC)),
        "start": ("CP-2", "TAG-1", MARCH_10),
        "march": ("CP-1", "TAG-2", datetime(2026, 3, 20, tzinfo=UTC)),
        "last": ("CP-1", "TAG-1", APRIL_1 - timedelta(milliseconds=1)),
        "end": ("CP-3", None, APRIL_1),
        "may": ("CP-2", "TAG-2", datetime(2026, 5, 2, tzinfo=UTC)),
    }
    stored = {}
    for name, (charge_point_id, id_token, issued_at) in sessions.items():
        transaction = transactions.create_once(replace(active(charge_point_id, name), id_token=id_token))
        done = completed(transaction)
        transactions.complete(done)
        stored[name] = invoice_of(done, issued_at)
        assert invoices.issue(stored[name], done)
    return stored


# Filters and the invoices of `issued` they match, by name.
LISTINGS = [
    (InvoiceFilter(), ["february", "start", "march", "last", "end", "may"]),
    (InvoiceFilter(charge_point_id="CP-1"), ["february", "march", "last"]),
    (InvoiceFilter(transaction_id="march"), ["march"]),
    (InvoiceFilter(id_token="TAG-1"), ["february", "start", "last"]),
    (InvoiceFilter(issued_from=MARCH_10), ["start", "march", "last", "end", "may"]),
    (InvoiceFilter(issued_to=APRIL_1), ["february", "start", "march", "last"]),
    (InvoiceFilter(issued_from=MARCH_10, issued_to=APRIL_1), ["start", "march", "last"]),
    (
        InvoiceFilter(issued_from=datetime(2025, 1, 1, tzinfo=UTC), issued_to=APRIL_1),
        ["february", "start", "march", "last"],
    ),
    (InvoiceFilter(charge_point_id="CP-1", issued_from=MARCH_10, issued_to=APRIL_1), ["march", "last"]),
    (InvoiceFilter(charge_point_id="CP-1", id_token="TAG-1", issued_to=APRIL_1), ["february", "last"]),
    (InvoiceFilter(transaction_id="may", id_token="TAG-2", issued_from=APRIL_1), ["may"]),
    (InvoiceFilter(issued_from=MARCH_10, issued_to=APRIL_1, id_token="TAG-2"), ["march"]),
    (InvoiceFilter(charge_point_id="CP-9"), []),
    (InvoiceFilter(issued_from=APRIL_1, issued_to=APRIL_1), []),
    (InvoiceFilter(charge_point_id="CP-1", issued_from=APRIL_1, issued_to=MARCH_10), []),
]


def test_listings_hold_the_matching_invoices(invoices: InvoiceRepository, issued: dict[str, Invoice]) -> None:
    # One test for all filters: the invoices are issued once, not once per filter.
    for where, names in LISTINGS:
        expected = [issued[name] for name in names]

        assert invoices.list(where) == expected, where  # oldest issued first
        assert_pages_hold_each_once(
            lambda limit, token, where=where: invoices.page(where, limit, token), expected, by_id
        )


@pytest.mark.parametrize(
    "where",
    [InvoiceFilter(), InvoiceFilter(charge_point_id="CP-1"), InvoiceFilter(issued_from=MARCH_10, issued_to=APRIL_1)],
)
def test_a_token_no_listing_returned_is_refused(
    transactions: TransactionRepository, invoices: InvoiceRepository, where: InvoiceFilter
) -> None:
    done = complete(transactions, "CP-1", "1")
    invoices.issue(invoice_of(done), done)

    for token in FOREIGN_TOKENS:
        with pytest.raises(InvalidPageTokenError):
            invoices.page(where, 2, token)
