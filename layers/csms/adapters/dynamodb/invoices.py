"""Invoices and the billing queue: issuing an invoice is one TransactWriteItems.

The put of the invoice (only if absent) and the update of the transaction (out of the queue,
only if still queued) commit together or not at all: see `csms.billing.invoices`.
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from boto3.dynamodb.conditions import Attr, ConditionBase, Key

from csms.adapters.dynamodb.codec import item, query_all, read_page, scan_all
from csms.adapters.dynamodb.transactions import BILLING_QUEUE_PENDING, transaction_of
from csms.billing.invoices import Invoice, InvoiceFilter
from csms.billing.tariffs import Line
from csms.domain.models import Transaction
from csms.domain.pagination import Page
from csms.tables import BILLING_QUEUE_INDEX
from csms.timeutil import format_timestamp, parse_timestamp


class DynamoDbInvoiceRepository:
    def __init__(self, table: Any, transactions_table: Any) -> None:
        self._table = table
        self._transactions = transactions_table
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
            [{"Put": put_invoice}, {"Update": self._dequeue(transaction, "SET #invoiceId = :invoiceId", invoice)}]
        )

    def skip(self, transaction: Transaction, reason: str) -> bool:
        update = self._dequeue(transaction, "SET #skipped = :reason", None)
        update["ExpressionAttributeNames"]["#skipped"] = "billingSkipped"
        update["ExpressionAttributeValues"][":reason"] = reason
        return self._transact([{"Update": update}])

    def get(self, invoice_id: str) -> Invoice | None:
        entry = self._table.get_item(Key={"invoiceId": invoice_id}).get("Item")
        return invoice_of(entry) if entry else None

    def page(self, where: InvoiceFilter, limit: int, next_token: str | None = None) -> Page[Invoice]:
        condition = _condition(where)
        kwargs = {"FilterExpression": condition} if condition is not None else {}
        page = read_page(self._table.scan, limit, next_token, **kwargs)
        return Page([invoice_of(entry) for entry in page.items], page.next_token)

    def list(self, where: InvoiceFilter) -> list[Invoice]:
        condition = _condition(where)
        entries = scan_all(self._table, FilterExpression=condition) if condition is not None else scan_all(self._table)
        return sorted((invoice_of(entry) for entry in entries), key=lambda invoice: invoice.issued_at)

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

    def _transact(self, items: Sequence[dict[str, Any]]) -> bool:
        try:
            self._client.transact_write_items(TransactItems=list(items))
        except self._client.exceptions.TransactionCanceledException:
            return False  # another run issued it, or it left the queue: nothing was written
        return True


def _condition(where: InvoiceFilter) -> ConditionBase | None:
    conditions: list[ConditionBase] = []
    if where.transaction_id is not None:
        conditions.append(Attr("transactionId").eq(where.transaction_id))
    if where.charge_point_id is not None:
        conditions.append(Attr("chargePointId").eq(where.charge_point_id))
    if where.id_token is not None:
        conditions.append(Attr("idToken").eq(where.id_token))
    # RFC 3339 UTC strings of one format order as the instants do.
    if where.issued_from is not None:
        conditions.append(Attr("issuedAt").gte(format_timestamp(where.issued_from)))
    if where.issued_to is not None:
        conditions.append(Attr("issuedAt").lt(format_timestamp(where.issued_to)))
    if not conditions:
        return None
    combined = conditions[0]
    for condition in conditions[1:]:
        combined = combined & condition
    return combined


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
