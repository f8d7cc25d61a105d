"""The invoices issued, as the operator reads and exports them."""

from datetime import datetime

from csms.billing.invoices import Invoice, InvoiceFilter, InvoiceRepository
from csms.domain.pagination import Page


class InvoiceHistory:
    def __init__(self, invoices: InvoiceRepository) -> None:
        self._invoices = invoices

    def get(self, invoice_id: str) -> Invoice | None:
        return self._invoices.get(invoice_id)

    def page(self, where: InvoiceFilter, limit: int, next_token: str | None = None) -> Page[Invoice]:
        """In no particular order; raises `InvalidPageTokenError`."""
        return self._invoices.page(where, limit, next_token)

    def issued(self, issued_from: datetime | None, issued_to: datetime | None) -> list[Invoice]:
        """Every invoice issued in [from, to) (either bound may be open), oldest first: for an export."""
        return self._invoices.list(InvoiceFilter(issued_from=issued_from, issued_to=issued_to))
