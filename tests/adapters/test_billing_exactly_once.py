"""Billing on moto: every completed session is invoiced exactly once, whatever runs concurrently or fails.

The billing queue is a sparse index of the transactions table; issuing an invoice is one
TransactWriteItems (put the invoice if absent + take the transaction out of the queue if still queued).
"""

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from csms.adapters.dynamodb.invoices import DynamoDbInvoiceRepository
from csms.billing.invoices import BillingRun, BillingService, Invoice, InvoiceFilter, invoice_id
from csms.composition import Repositories
from csms.domain.models import Transaction, TransactionStatus
from csms.domain.tariffs import Tariff
from csms.wire.versions import OcppVersion
from tests.fakes import FixedClock

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TARIFF = Tariff(tariff_id="default", currency="EUR", price_per_kwh=Decimal("0.30"), tax_rate=Decimal("0.19"))


class Crash(BaseException):
    """The function dies (a timeout, out of memory): not an error a run could catch and go on from."""


class CrashingInvoices(DynamoDbInvoiceRepository):
    """Prices, prepares the write, then dies (`before`: without writing; else: right after writing)."""

    def __init__(self, inner: Any, crash_before_write: bool) -> None:
        self.__dict__.update(inner.__dict__)
        self.crash_before_write = crash_before_write

    def issue(self, invoice: Invoice, transaction: Transaction) -> bool:
        if self.crash_before_write:
            raise Crash("crashed between pricing and writing")
        super().issue(invoice, transaction)
        raise Crash("crashed after writing, before reporting")


class RacingInvoices(DynamoDbInvoiceRepository):
    """Reads the queue, then waits until the other run has read it too: both race to issue every invoice."""

    def __init__(self, inner: Any, barrier: threading.Barrier) -> None:
        self.__dict__.update(inner.__dict__)
        self.barrier = barrier
        self.seen = 0

    def pending(self) -> list[Transaction]:
        queued = super().pending()
        self.seen = len(queued)
        self.barrier.wait(timeout=10)
        return queued


@pytest.fixture
def serializable_moto(monkeypatch: pytest.MonkeyPatch) -> None:
    """DynamoDB runs each TransactWriteItems atomically (serializable); moto, in threads, does not.

    So, for the concurrent runs, each transaction request holds a lock: the runs still read the
    queue concurrently and race to issue the same invoices, but each request is atomic, as on AWS.
    """
    lock = threading.Lock()
    transact = DynamoDbInvoiceRepository._transact

    def atomic(self: DynamoDbInvoiceRepository, items: Any) -> bool:
        with lock:
            return transact(self, items)

    monkeypatch.setattr(DynamoDbInvoiceRepository, "_transact", atomic)


def complete_sessions(repositories: Repositories, count: int, tariff: Tariff | None = TARIFF) -> list[Transaction]:
    sessions = []
    for n in range(count):
        active = Transaction(
            charge_point_id=f"CP-{n % 3}",
            transaction_id=str(n),
            ocpp_version=OcppVersion.V16,
            status=TransactionStatus.ACTIVE,
            started_at=T0,
            id_token="TAG-1",
            meter_start=Decimal(0),
            tariff=tariff,
        )
        repositories.transactions.create_once(active)
        done = replace(
            active,
            status=TransactionStatus.COMPLETED,
            stopped_at=T0 + timedelta(hours=1),
            meter_stop=Decimal(1000 * (n + 1)),
        )
        assert repositories.transactions.complete(done)
        sessions.append(done)
    return sessions


def all_invoices(repositories: Repositories) -> list[Invoice]:
    return repositories.invoices.list(InvoiceFilter())


def expected_ids(sessions: list[Transaction]) -> set[str]:
    return {invoice_id(s.charge_point_id, s.transaction_id) for s in sessions}


@pytest.fixture
def billing(repositories: Repositories) -> BillingService:
    return BillingService(repositories.invoices, FixedClock(T0 + timedelta(hours=2)))


def test_completing_a_transaction_queues_it_and_issuing_takes_it_out(
    repositories: Repositories, raw_table: Callable[[str], Any], billing: BillingService
) -> None:
    [session] = complete_sessions(repositories, 1)
    key = {"chargePointId": session.charge_point_id, "transactionId": session.transaction_id}
    assert raw_table("transactions_table").get_item(Key=key)["Item"]["billingQueue"] == "pending"
    assert [t.transaction_id for t in repositories.invoices.pending()] == ["0"]

    run = billing.run()

    stored = raw_table("transactions_table").get_item(Key=key)["Item"]
    assert "billingQueue" not in stored
    assert stored["invoiceId"] == run.invoiced[0] == invoice_id("CP-0", "0")
    assert repositories.invoices.pending() == []
    # The transaction still reads back whole, with the tariff it started with.
    assert repositories.transactions.get("CP-0", "0") == session


def test_an_invoice_prices_the_session_with_its_own_tariff_copy(
    repositories: Repositories, billing: BillingService
) -> None:
    [session] = complete_sessions(repositories, 1)  # 1 kWh at 0.30 + 19 %
    repositories.tariffs.put(replace(TARIFF, price_per_kwh=Decimal("9.99")))  # changed later: no effect

    [issued] = billing.run().invoiced

    invoice = repositories.invoices.get(issued)
    assert invoice is not None
    assert (invoice.currency, invoice.net, invoice.tax, invoice.total) == (
        "EUR",
        Decimal("0.30"),
        Decimal("0.06"),
        Decimal("0.36"),
    )
    assert (invoice.started_at, invoice.stopped_at, invoice.energy_wh) == (T0, session.stopped_at, Decimal(1000))
    assert [line.kind for line in invoice.lines] == ["energy", "tax"]


# Each scenario: what happens to the runs before the final, normal run.
SCENARIOS = ["sequential replay", "two concurrent runs", "crash before writing", "crash after writing"]


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("sessions_count", [1, 7])
@pytest.mark.usefixtures("serializable_moto")
def test_each_completed_session_is_invoiced_exactly_once(
    repositories: Repositories, billing: BillingService, scenario: str, sessions_count: int
) -> None:
    sessions = complete_sessions(repositories, sessions_count)
    runs: list[BillingRun] = []
    clock = FixedClock(T0 + timedelta(hours=2))

    if scenario == "sequential replay":
        runs.append(billing.run())
    elif scenario == "two concurrent runs":
        barrier = threading.Barrier(2)
        racers = [RacingInvoices(repositories.invoices, barrier) for _ in range(2)]
        errors: list[BaseException] = []

        def run(racer: RacingInvoices) -> None:
            try:
                runs.append(BillingService(racer, clock).run())
            except BaseException as error:
                errors.append(error)

        threads = [threading.Thread(target=run, args=(racer,)) for racer in racers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert [racer.seen for racer in racers] == [sessions_count, sessions_count]
    else:
        crashing = CrashingInvoices(repositories.invoices, crash_before_write=scenario == "crash before writing")
        with pytest.raises(Crash, match="crashed"):
            BillingService(crashing, clock).run()

    runs.append(billing.run())  # the next (scheduled or replayed) run

    reported = [invoice for run in runs for invoice in run.invoiced]
    assert len(reported) == len(set(reported)), "an invoice was reported twice"
    invoices = all_invoices(repositories)
    assert sorted(invoice.invoice_id for invoice in invoices) == sorted(expected_ids(sessions))
    assert repositories.invoices.pending() == []
    if scenario != "crash after writing":
        assert set(reported) == expected_ids(sessions)
    # And a further replay changes nothing.
    assert billing.run() == BillingRun()
    assert len(all_invoices(repositories)) == sessions_count


def test_issuing_is_refused_when_the_invoice_exists_or_the_session_left_the_queue(
    repositories: Repositories, billing: BillingService
) -> None:
    [session] = complete_sessions(repositories, 1)
    invoice = BillingService.invoice_for(session, T0)

    assert repositories.invoices.issue(invoice, session) is True
    assert repositories.invoices.issue(invoice, session) is False
    assert repositories.invoices.issue(replace(invoice, invoice_id="other"), session) is False
    assert repositories.invoices.get("other") is None


def test_sessions_without_a_tariff_are_skipped_once_and_never_invoiced(
    repositories: Repositories, billing: BillingService
) -> None:
    complete_sessions(repositories, 2, tariff=None)

    first = billing.run()

    assert first.invoiced == []
    assert sorted((s.charge_point_id, s.transaction_id, s.reason) for s in first.skipped) == [
        ("CP-0", "0", "noTariff"),
        ("CP-1", "1", "noTariff"),
    ]
    assert billing.run() == BillingRun()
    assert all_invoices(repositories) == []


def test_invoices_filter_by_session_charger_token_and_issue_time(
    repositories: Repositories, billing: BillingService
) -> None:
    complete_sessions(repositories, 4)
    billing.run()
    issued = T0 + timedelta(hours=2)

    def ids(**where: Any) -> list[str]:
        return sorted(i.transaction_id for i in repositories.invoices.page(InvoiceFilter(**where), 10).items)

    assert ids() == ["0", "1", "2", "3"]
    assert ids(charge_point_id="CP-0") == ["0", "3"]
    assert ids(transaction_id="2") == ["2"]
    assert ids(id_token="TAG-1", issued_from=issued, issued_to=issued + timedelta(seconds=1)) == ["0", "1", "2", "3"]
    assert ids(issued_to=issued) == []
    pages = [repositories.invoices.page(InvoiceFilter(), 3)]
    pages.append(repositories.invoices.page(InvoiceFilter(), 3, pages[0].next_token))
    assert [len(page.items) for page in pages] == [3, 1]
