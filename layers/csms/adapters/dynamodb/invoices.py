"""Invoices and the billing queue: issuing an invoice is one TransactWriteItems.

The put of the invoice (only if absent), the update of the transaction (out of the queue, only if
still queued) and the additions to the billed totals of its day and month (`csms.billing.totals`,
items `BILLED#{period}` of the Idempotency table, beside the sequences) commit together or not at
all: see `csms.billing.invoices`.

Listings Query an index where the filter allows it: a charge point's invoices (`byChargePoint`), or
those of a period with both bounds, month by month (`byIssuedMonth`); any other filter Scans.
"""

import functools
import operator
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from boto3.dynamodb.conditions import Attr, ConditionBase, Key

from csms.adapters.dynamodb.codec import Image, images, item, query_all, read_all
from csms.adapters.dynamodb.paging import read_page_across
from csms.adapters.dynamodb.transactions import BILLING_QUEUE_PENDING, error_item, transaction_of
from csms.billing.invoices import Invoice, InvoiceFilter
from csms.billing.totals import BilledTotals, periods_of
from csms.domain.models import RecordedError, Transaction
from csms.domain.pagination import InvalidPageTokenError, Page
from csms.domain.tariffs import Line
from csms.domain_events.stored_changes import InvoiceChange
from csms.tables import BILLING_QUEUE_INDEX, INVOICES, INVOICES_BY_CHARGE_POINT_INDEX, INVOICES_BY_ISSUED_MONTH_INDEX
from csms.timeutil import format_timestamp, parse_timestamp

# A period of more months than this Scans instead: it bounds the Queries of one listing, most of
# which would find nothing in a period far longer than the invoices go back.
MAX_QUERIED_MONTHS = 24

BILLED_PREFIX = "BILLED#"
# Attributes of a `BILLED#{period}` item: the energy, and one sum per currency ("revenue#EUR").
BILLED_ENERGY = "energyWh"
BILLED_REVENUE_PREFIX = "revenue#"

# `table.query` or `table.scan`, and its requests.
_Reads = tuple[Callable[..., Any], list[dict[str, Any]]]


class DynamoDbInvoiceRepository:
    def __init__(self, table: Any, transactions_table: Any, totals_table: Any) -> None:
        self._table = table
        self._transactions = transactions_table
        self._totals = totals_table
        # The resource's client: it (de)serializes attribute values like the Table API does.
        self._client = table.meta.client

    def pending(self) -> list[Transaction]:
        entries = query_all(
            self._transactions,
            IndexName=BILLING_QUEUE_INDEX,
            KeyConditionExpression=Key("billingQueue").eq(BILLING_QUEUE_PENDING),
        )
        return [transaction_of(entry) for entry in entries]

    def issue(self, invoice: Invoice, transaction: Transaction) -> bool:
        put_invoice = {
            "TableName": self._table.name,
            "Item": invoice_item(invoice),
            "ConditionExpression": "attribute_not_exists(invoiceId)",
        }
        return self._transact(
            [
                {"Put": put_invoice},
                {"Update": self._dequeue(transaction, "SET #invoiceId = :invoiceId", invoice)},
                *self._add_to_totals(transaction, invoice),
            ]
        )

    def skip(self, transaction: Transaction, reason: str) -> bool:
        return self._dequeue_uninvoiced(transaction, "billingSkipped", reason)

    def fail(self, transaction: Transaction, error: RecordedError) -> bool:
        return self._dequeue_uninvoiced(transaction, "billingError", error_item(error))

    def get(self, invoice_id: str) -> Invoice | None:
        entry = self._table.get_item(Key={"invoiceId": invoice_id}).get("Item")
        return invoice_of(entry) if entry else None

    def totals(self, period: str) -> BilledTotals:
        entry = self._totals.get_item(Key={"key": f"{BILLED_PREFIX}{period}"}).get("Item", {})
        revenue = {
            name.removeprefix(BILLED_REVENUE_PREFIX): Decimal(value)
            for name, value in entry.items()
            if name.startswith(BILLED_REVENUE_PREFIX)
        }
        return BilledTotals(Decimal(entry.get(BILLED_ENERGY, 0)), revenue)

    def _add_to_totals(self, transaction: Transaction, invoice: Invoice | None) -> list[dict[str, Any]]:
        """The TransactWriteItems updates adding the session (and its invoice) to its day's and month's totals."""
        expression = "ADD #energy :energy"
        names = {"#energy": BILLED_ENERGY}
        values: dict[str, Any] = {":energy": transaction.energy_wh or Decimal(0)}
        if invoice is not None:
            expression += ", #revenue :revenue"
            names["#revenue"] = f"{BILLED_REVENUE_PREFIX}{invoice.currency}"
            values[":revenue"] = invoice.total
        return [
            {
                "Update": {
                    "TableName": self._totals.name,
                    "Key": {"key": f"{BILLED_PREFIX}{period}"},
                    "UpdateExpression": expression,
                    "ExpressionAttributeNames": names,
                    "ExpressionAttributeValues": values,
                }
            }
            for period in periods_of(transaction)
        ]

    def page(self, where: InvoiceFilter, limit: int, next_token: str | None = None) -> Page[Invoice]:
        operation, requests = self._reads(where)
        if not requests:
            if next_token is not None:
                raise InvalidPageTokenError(next_token)  # an empty period has no second page
            return Page([])
        page = read_page_across(operation, INVOICES, requests, limit, next_token)
        return Page([invoice_of(entry) for entry in page.items], page.next_token)

    def list(self, where: InvoiceFilter) -> list[Invoice]:
        operation, requests = self._reads(where)
        entries = (entry for request in requests for entry in read_all(operation, **request))
        return sorted((invoice_of(entry) for entry in entries), key=lambda invoice: invoice.issued_at)

    def _reads(self, where: InvoiceFilter) -> _Reads:
        """The requests, read one after another, of the invoices `where` matches (none for an empty period)."""
        # RFC 3339 UTC strings of one format order as the instants do.
        start = format_timestamp(where.issued_from) if where.issued_from is not None else None
        end = format_timestamp(where.issued_to) if where.issued_to is not None else None
        if start is not None and end is not None and start >= end:
            return self._table.query, []
        filters = _equal(transactionId=where.transaction_id, idToken=where.id_token)
        if where.charge_point_id is not None:
            partition = Key("chargePointId").eq(where.charge_point_id)
            return self._table.query, [_query(INVOICES_BY_CHARGE_POINT_INDEX, partition, start, end, filters)]
        if where.issued_from is not None and where.issued_to is not None:
            months = _months(where.issued_from, where.issued_to)
            if months is not None:
                return self._table.query, [
                    _query(INVOICES_BY_ISSUED_MONTH_INDEX, Key("issuedMonth").eq(month), start, end, filters)
                    for month in months
                ]
        # Without both bounds the months to Query are unknown (the adapter has no clock, and invoices
        # have no earliest date), so a period with one bound, like a transaction or an id token, Scans.
        if start is not None:
            filters.append(Attr("issuedAt").gte(start))
        if end is not None:
            filters.append(Attr("issuedAt").lt(end))
        return self._table.scan, [_filtered({}, filters)]

    def _dequeue(self, transaction: Transaction, set_expression: str, invoice: Invoice | None) -> dict[str, Any]:
        names: dict[str, str] = {"#queue": "billingQueue"}
        values: dict[str, Any] = {":pending": BILLING_QUEUE_PENDING}
        if invoice is not None:
            names["#invoiceId"] = "invoiceId"
            values[":invoiceId"] = invoice.invoice_id
        return {
            "TableName": self._transactions.name,
            "Key": {"chargePointId": transaction.charge_point_id, "transactionId": transaction.transaction_id},
            "UpdateExpression": f"{set_expression} REMOVE #queue",
            "ConditionExpression": "#queue = :pending",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }

    def _dequeue_uninvoiced(self, transaction: Transaction, attribute: str, value: Any) -> bool:
        """Take the transaction out of the queue without an invoice, setting `attribute` to say why."""
        update = self._dequeue(transaction, "SET #why = :why", None)
        update["ExpressionAttributeNames"]["#why"] = attribute
        update["ExpressionAttributeValues"][":why"] = value
        return self._transact([{"Update": update}, *self._add_to_totals(transaction, None)])

    def _transact(self, items: Sequence[dict[str, Any]]) -> bool:
        try:
            self._client.transact_write_items(TransactItems=list(items))
        except self._client.exceptions.TransactionCanceledException:
            # Another run issued it, it left the queue, or a run at once wrote the same totals
            # (TransactionConflict): nothing was written, a later run bills what is still queued.
            return False
        return True


def _query(
    index: str, partition: ConditionBase, start: str | None, end: str | None, filters: list[ConditionBase]
) -> dict[str, Any]:
    """A Query of one partition of an index sorted by `issuedAt`, within [start, end)."""
    key = partition
    if start is not None and end is not None:
        # A key condition compares the sort key once: `between` includes `end`, the filter excludes it.
        key = key & Key("issuedAt").between(start, end)
        filters = [*filters, Attr("issuedAt").lt(end)]
    elif start is not None:
        key = key & Key("issuedAt").gte(start)
    elif end is not None:
        key = key & Key("issuedAt").lt(end)
    return _filtered({"IndexName": index, "KeyConditionExpression": key}, filters)


def _filtered(request: dict[str, Any], filters: list[ConditionBase]) -> dict[str, Any]:
    return {**request, "FilterExpression": functools.reduce(operator.and_, filters)} if filters else request


def _equal(**attributes: str | None) -> list[ConditionBase]:
    return [Attr(name).eq(value) for name, value in attributes.items() if value is not None]


def _months(start: datetime, end: datetime) -> list[str] | None:
    """The `issuedMonth`s of [start, end) (start < end), or None if more than `MAX_QUERIED_MONTHS`."""
    first, last = _month_number(start), _month_number(end - timedelta(microseconds=1))
    if last - first >= MAX_QUERIED_MONTHS:
        return None
    return [_month(number) for number in range(first, last + 1)]


def _month_number(value: datetime) -> int:
    utc = value.astimezone(UTC)
    return utc.year * 12 + utc.month - 1


def _month(number: int) -> str:
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def invoice_item(invoice: Invoice) -> dict[str, Any]:
    return item(
        invoiceId=invoice.invoice_id,
        transactionId=invoice.transaction_id,
        chargePointId=invoice.charge_point_id,
        idToken=invoice.id_token,
        tariffId=invoice.tariff_id,
        currency=invoice.currency,
        lines=[
            {
                "kind": line.kind,
                "quantity": str(line.quantity),
                "unitPrice": str(line.unit_price),
                "amount": str(line.amount),
            }
            for line in invoice.lines
        ],
        net=str(invoice.net),
        tax=str(invoice.tax),
        total=str(invoice.total),
        issuedAt=invoice.issued_at,
        issuedMonth=_month(_month_number(invoice.issued_at)),
        startedAt=invoice.started_at,
        stoppedAt=invoice.stopped_at,
        energyWh=str(invoice.energy_wh),
    )


def invoice_of(entry: dict[str, Any]) -> Invoice:
    issued_at, started_at, stopped_at = (
        parse_timestamp(entry[name]) for name in ("issuedAt", "startedAt", "stoppedAt")
    )
    return Invoice(
        invoice_id=entry["invoiceId"],
        transaction_id=entry["transactionId"],
        charge_point_id=entry["chargePointId"],
        id_token=entry.get("idToken"),
        tariff_id=entry["tariffId"],
        currency=entry["currency"],
        lines=tuple(
            Line(
                kind=line["kind"],
                quantity=Decimal(line["quantity"]),
                unit_price=Decimal(line["unitPrice"]),
                amount=Decimal(line["amount"]),
            )
            for line in entry.get("lines", [])
        ),
        net=Decimal(entry["net"]),
        tax=Decimal(entry["tax"]),
        total=Decimal(entry["total"]),
        issued_at=issued_at,
        started_at=started_at,
        stopped_at=stopped_at,
        energy_wh=Decimal(entry["energyWh"]),
    )


def invoice_change(old: Image, new: Image) -> InvoiceChange:
    """A stream record of this table as a domain change."""
    return InvoiceChange((new or old)["chargePointId"], *images(old, new, invoice_of))
