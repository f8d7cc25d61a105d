"""/api/billing/runs and /api/invoices: invoicing completed sessions, and the invoices issued."""

import csv
import io
from datetime import datetime
from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import Field

from csms.api.api_model import ApiModel
from csms.api.errors import responses
from csms.api.models import DecimalString, PageView, decimal_string, energy_string
from csms.api.openapi import Tag
from csms.api.pagination import DEFAULT_PAGE_SIZE, Limit, NextToken
from csms.billing.failures import SessionFailure
from csms.billing.invoices import Invoice, InvoiceFilter, Skipped
from csms.composition import get_services
from csms.domain.tariffs import Line

router = Router()

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
CSV_COLUMNS = (
    "invoiceId",
    "issuedAt",
    "chargerId",
    "transactionId",
    "idToken",
    "tariffId",
    "startedAt",
    "stoppedAt",
    "energyWh",
    "currency",
    "net",
    "tax",
    "total",
)

From = Annotated[datetime | None, Query(alias="from", description="Issued at or after (RFC 3339)")]
To = Annotated[datetime | None, Query(alias="to", description="Issued before (RFC 3339)")]


class UninvoicedView(ApiModel):
    charger_id: str
    transaction_id: str
    reason: str = Field(
        description="Skipped: noTariff (no tariff applied when the session started); failed: why it could not be priced"
    )

    @classmethod
    def of(cls, session: Skipped | SessionFailure) -> "UninvoicedView":
        return cls(charger_id=session.charge_point_id, transaction_id=session.transaction_id, reason=session.reason)


class BillingRunView(ApiModel):
    invoiced: list[str] = Field(description="Ids of the invoices this run issued")
    skipped: list[UninvoicedView] = Field(description="Completed sessions this run took out of billing uninvoiced")
    failed: list[UninvoicedView] = Field(
        description="Sessions this run could not price (out of billing, `billingError` on the transaction) "
        "or failed on unexpectedly (billed by a later run)"
    )


class LineView(ApiModel):
    kind: str = Field(description="energy, time, idle, sessionFee, minimumPrice, maximumPrice, tax")
    quantity: DecimalString = Field(description="kWh, minutes, 1 (a fee), or the amount taxed")
    unit_price: DecimalString
    amount: DecimalString = Field(description="Exact; rounded for display only")

    @classmethod
    def of(cls, line: Line) -> "LineView":
        return cls(
            kind=line.kind,
            quantity=decimal_string(line.quantity),
            unit_price=decimal_string(line.unit_price),
            amount=decimal_string(line.amount),
        )


class InvoiceView(ApiModel):
    """Amounts are decimal strings in `currency`; `net` + `tax` = `total`."""

    invoice_id: str
    transaction_id: str
    charger_id: str
    id_token: str | None
    tariff_id: str
    currency: str
    lines: list[LineView]
    net: DecimalString = Field(description="Rounded once, half up, to the currency's minor unit")
    tax: DecimalString = Field(description="total - net")
    total: DecimalString = Field(description="Rounded once, half up, to the currency's minor unit")
    issued_at: datetime
    started_at: datetime
    stopped_at: datetime
    energy_wh: DecimalString = Field(description="Delivered, Wh")

    @classmethod
    def of(cls, invoice: Invoice) -> "InvoiceView":
        return cls(
            invoice_id=invoice.invoice_id,
            transaction_id=invoice.transaction_id,
            charger_id=invoice.charge_point_id,
            id_token=invoice.id_token,
            tariff_id=invoice.tariff_id,
            currency=invoice.currency,
            lines=[LineView.of(line) for line in invoice.lines],
            net=decimal_string(invoice.net),
            tax=decimal_string(invoice.tax),
            total=decimal_string(invoice.total),
            issued_at=invoice.issued_at,
            started_at=invoice.started_at,
            stopped_at=invoice.stopped_at,
            energy_wh=energy_string(invoice.energy_wh),
        )


@router.post(
    "/api/billing/runs",
    operation_id="runBilling",
    summary="Run billing now",
    description="Invoices every completed session not billed yet, as the schedule does every few minutes: each "
    "priced with the tariff copy it started with and invoiced exactly once, whatever runs at the same time. "
    "Sessions without a tariff are skipped, those that cannot be priced fail; both leave billing uninvoiced.",
    tags=[Tag.BILLING],
    responses=responses(),
)
def run_billing() -> BillingRunView:
    run = get_services().billing.run()
    return BillingRunView(
        invoiced=run.invoiced,
        skipped=[UninvoicedView.of(skipped) for skipped in run.skipped],
        failed=[UninvoicedView.of(failed) for failed in run.failed],
    )


@router.get(
    "/api/invoices",
    operation_id="listInvoices",
    summary="List invoices",
    description="Invoices, optionally of a session, a charger or an id token, issued in [from, to). In no "
    "particular order. Paged.",
    tags=[Tag.BILLING],
    responses=responses(HTTPStatus.BAD_REQUEST),
)
def list_invoices(
    transaction_id: Annotated[str | None, Query(alias="transactionId")] = None,
    charger_id: Annotated[str | None, Query(alias="chargerId")] = None,
    id_token: Annotated[str | None, Query(alias="idToken")] = None,
    issued_from: From = None,
    issued_to: To = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    next_token: NextToken = None,
) -> PageView[InvoiceView]:
    where = InvoiceFilter(transaction_id, charger_id, id_token, issued_from, issued_to)
    page = get_services().invoice_history.page(where, limit, next_token)
    return PageView[InvoiceView](items=[InvoiceView.of(invoice) for invoice in page.items], next_token=page.next_token)


# Before /api/invoices/<invoice_id>, which would otherwise take "export.csv" for an id.
@router.get(
    "/api/invoices/export.csv",
    operation_id="exportInvoices",
    summary="Export invoices as CSV",
    description="The invoices issued in [from, to) (either bound may be open) as CSV: a header row, then one row "
    "per invoice, oldest first, amounts as decimal numbers.",
    tags=[Tag.BILLING],
    responses={
        **responses(),
        HTTPStatus.OK.value: {"description": "One row per invoice, oldest first", "content": {"text/csv": {}}},
    },
)
def export_invoices(issued_from: From = None, issued_to: To = None) -> Response[str]:
    invoices = get_services().invoice_history.issued(issued_from, issued_to)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for invoice in invoices:
        view = InvoiceView.of(invoice).model_dump(mode="json", by_alias=True)
        writer.writerow(["" if view[column] is None else view[column] for column in CSV_COLUMNS])
    return Response(
        status_code=HTTPStatus.OK.value,
        content_type=CSV_CONTENT_TYPE,
        body=buffer.getvalue(),
        headers={"Content-Disposition": 'attachment; filename="invoices.csv"'},
    )


@router.get(
    "/api/invoices/<invoice_id>",
    operation_id="getInvoice",
    summary="Get an invoice",
    description="An invoice: its session, tariff, currency, lines, net, tax and total (decimal strings).",
    tags=[Tag.BILLING],
    responses=responses(HTTPStatus.NOT_FOUND),
)
def get_invoice(invoice_id: str) -> InvoiceView:
    invoice = get_services().invoice_history.get(invoice_id)
    if invoice is None:
        raise NotFoundError(f"No invoice {invoice_id}")
    return InvoiceView.of(invoice)
