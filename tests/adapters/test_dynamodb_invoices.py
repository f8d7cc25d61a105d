"""Listing invoices on moto: a charger's or a period's invoices are Queried from an index, page by page.

Requests are counted by a `before-call.dynamodb` hook on the client of the repository's own table.
"""

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import boto3
import pytest

from csms.adapters.dynamodb.invoices import MAX_QUERIED_MONTHS, DynamoDbInvoiceRepository, invoice_item
from csms.billing.invoices import Invoice, InvoiceFilter, invoice_id
from csms.domain.pagination import InvalidPageTokenError, encode_page_token
from csms.settings import Settings

MARCH = datetime(2026, 3, 1, tzinfo=UTC)
APRIL = datetime(2026, 4, 1, tzinfo=UTC)
MAY = datetime(2026, 5, 1, tzinfo=UTC)


class Requests:
    """DynamoDB operations made through one client, by name."""

    def __init__(self) -> None:
        self.made: Counter[str] = Counter()

    def __call__(self, event_name: str, **_: Any) -> None:
        self.made[event_name.rsplit(".", 1)[-1]] += 1


@pytest.fixture
def requests() -> Requests:
    return Requests()


@pytest.fixture
def invoices(aws: None, settings: Settings, requests: Requests) -> DynamoDbInvoiceRepository:
    """The repository on a client of its own, which `store` does not write through."""
    dynamodb = boto3.resource("dynamodb")
    table = dynamodb.Table(settings.invoices_table)
    table.meta.client.meta.events.register("before-call.dynamodb", requests)
    return DynamoDbInvoiceRepository(
        table, dynamodb.Table(settings.transactions_table), dynamodb.Table(settings.idempotency_table)
    )


@pytest.fixture
def store(raw_table: Callable[[str], Any]) -> Callable[..., Invoice]:
    """Stores an invoice as issuing does (`invoice_item`), without a transaction to take out of the queue."""
    table = raw_table("invoices_table")

    def put(charge_point_id: str, transaction_id: str, issued_at: datetime, id_token: str | None = None) -> Invoice:
        invoice = Invoice(
            invoice_id=invoice_id(charge_point_id, transaction_id),
            transaction_id=transaction_id,
            charge_point_id=charge_point_id,
            id_token=id_token,
            tariff_id="default",
            currency="EUR",
            lines=(),
            net=Decimal("1.00"),
            tax=Decimal("0.20"),
            total=Decimal("1.20"),
            issued_at=issued_at,
            started_at=issued_at - timedelta(hours=1),
            stopped_at=issued_at - timedelta(minutes=5),
            energy_wh=Decimal(1000),
        )
        table.put_item(Item=invoice_item(invoice))
        return invoice

    return put


def every_page(invoices: DynamoDbInvoiceRepository, where: InvoiceFilter, limit: int) -> list[list[str]]:
    pages, token = [], None
    while True:
        page = invoices.page(where, limit, token)
        pages.append([invoice.invoice_id for invoice in page.items])
        token = page.next_token
        if token is None:
            return pages


def ids(*invoices: Invoice) -> list[str]:
    return [invoice.invoice_id for invoice in invoices]


def test_a_chargers_invoices_are_queried_page_by_page(
    invoices: DynamoDbInvoiceRepository, store: Callable[..., Invoice], requests: Requests
) -> None:
    # Given five invoices of CP-1 over two months, and others of CP-2 at the same instants
    mine = [store("CP-1", str(n), MARCH + timedelta(days=10 * n)) for n in range(5)]
    for n in range(5):
        store("CP-2", str(n), MARCH + timedelta(days=10 * n))

    # When CP-1's are read two at a time
    pages = every_page(invoices, InvoiceFilter(charge_point_id="CP-1"), 2)

    # Then the pages hold exactly CP-1's, once each (oldest first, as the index sorts them), from Queries only
    assert [page for page in pages if page] == [ids(*mine[:2]), ids(*mine[2:4]), ids(mine[4])]
    assert invoices.list(InvoiceFilter(charge_point_id="CP-1")) == mine
    assert requests.made["Query"] > 0
    assert requests.made["Scan"] == 0


def test_a_chargers_invoices_of_a_period_include_its_start_and_exclude_its_end(
    invoices: DynamoDbInvoiceRepository, store: Callable[..., Invoice], requests: Requests
) -> None:
    # Given CP-1's invoices just before, at the start of, within, and at the end of [March 10, April 10)
    start, end = MARCH + timedelta(days=9), APRIL + timedelta(days=9)
    before = store("CP-1", "before", start - timedelta(milliseconds=1))
    first = store("CP-1", "first", start)
    inside = [store("CP-1", f"in-{n}", start + timedelta(days=5 * n + 1)) for n in range(5)]
    last = store("CP-1", "last", end - timedelta(milliseconds=1))
    at_end = store("CP-1", "at-end", end)
    store("CP-2", "other", start + timedelta(days=1))
    in_period = [first, *inside, last]

    # Then each bound alone, and both, select exactly the invoices they should, page by page
    both = InvoiceFilter(charge_point_id="CP-1", issued_from=start, issued_to=end)
    assert [i for page in every_page(invoices, both, 3) for i in page] == ids(*in_period)
    assert invoices.list(both) == in_period
    assert invoices.list(InvoiceFilter(charge_point_id="CP-1", issued_from=start)) == [*in_period, at_end]
    assert invoices.list(InvoiceFilter(charge_point_id="CP-1", issued_to=end)) == [before, *in_period]
    # Other filters still apply
    assert invoices.list(InvoiceFilter(charge_point_id="CP-1", transaction_id="in-2", issued_from=start)) == [inside[2]]
    assert invoices.list(InvoiceFilter(charge_point_id="CP-1", id_token="TAG-1")) == []
    assert requests.made["Scan"] == 0


def test_the_invoices_of_a_period_over_two_months_come_oldest_first_from_each_month(
    invoices: DynamoDbInvoiceRepository, store: Callable[..., Invoice], requests: Requests
) -> None:
    # Given invoices of several chargers before, across and after [March 20, April 10)
    start, end = MARCH + timedelta(days=19), APRIL + timedelta(days=9)
    store("CP-1", "february", MARCH - timedelta(days=1))
    store("CP-1", "early-march", start - timedelta(seconds=1))
    in_period = [store(f"CP-{n % 3}", str(n), start + timedelta(days=4 * n)) for n in range(5)]  # March 20 .. April 5
    store("CP-1", "at-end", end)
    store("CP-1", "may", MAY)

    # When they are listed, and read in pages that end within a month and between the two
    where = InvoiceFilter(issued_from=start, issued_to=end)
    listed = invoices.list(where)
    paged = {limit: every_page(invoices, where, limit) for limit in (1, 2, 3, 5, 6)}

    # Then exactly the period's invoices come, oldest first, in every way of paging, from a Query per month
    assert listed == in_period
    for limit, pages in paged.items():
        assert [i for page in pages for i in page] == ids(*in_period)
        assert all(len(page) == limit for page in pages[:-1])  # every page but the last is full
    assert requests.made["Scan"] == 0
    assert invoices.list(InvoiceFilter(issued_from=start, issued_to=end, id_token="TAG-1")) == []


def test_a_calendar_month_queries_that_month_only(
    invoices: DynamoDbInvoiceRepository, store: Callable[..., Invoice], requests: Requests
) -> None:
    march = [store("CP-1", str(n), MARCH + timedelta(days=n)) for n in range(3)]
    store("CP-1", "april", APRIL)

    assert invoices.list(InvoiceFilter(issued_from=MARCH, issued_to=APRIL)) == march
    assert requests.made == Counter({"Query": 1})


def test_a_period_of_too_many_months_or_with_one_bound_is_scanned(
    invoices: DynamoDbInvoiceRepository, store: Callable[..., Invoice], requests: Requests
) -> None:
    march, april = store("CP-1", "march", MARCH), store("CP-2", "april", APRIL)
    long_ago = MARCH.replace(year=MARCH.year - MAX_QUERIED_MONTHS // 12 - 1)

    assert invoices.list(InvoiceFilter(issued_from=long_ago, issued_to=MAY)) == [march, april]
    assert invoices.list(InvoiceFilter(issued_from=APRIL)) == [april]
    assert invoices.list(InvoiceFilter(issued_to=APRIL)) == [march]
    assert requests.made == Counter({"Scan": 3})


def test_an_empty_period_reads_nothing(
    invoices: DynamoDbInvoiceRepository, store: Callable[..., Invoice], requests: Requests
) -> None:
    store("CP-1", "march", MARCH)

    for where in (InvoiceFilter(issued_from=MARCH, issued_to=MARCH), InvoiceFilter("1", "CP-1", None, APRIL, MARCH)):
        assert invoices.list(where) == []
        assert invoices.page(where, 10).items == []
    assert requests.made == Counter()


def test_a_token_that_names_no_request_of_the_listing_is_refused(
    invoices: DynamoDbInvoiceRepository, store: Callable[..., Invoice]
) -> None:
    store("CP-1", "1", MARCH)
    by_charger = InvoiceFilter(charge_point_id="CP-1")
    by_period = InvoiceFilter(issued_from=MARCH, issued_to=MAY)  # two months: requests 0 and 1

    for where, token in [
        (by_charger, encode_page_token({"part": 1})),
        (by_period, encode_page_token({"part": 2})),
        (by_period, encode_page_token({"part": "0"})),
        (by_period, encode_page_token({"key": {"invoiceId": {"S": "x"}}})),  # a token of `read_page`
        (by_period, encode_page_token({"part": 0, "key": {}})),
    ]:
        with pytest.raises(InvalidPageTokenError):
            invoices.page(where, 1, token)
