import { Card, CardContent, CardHeader, Link } from "@mui/material";
import { Link as RouterLink } from "react-router";
import { withQuery } from "../../api/client";
import type { Invoice, Page, Transaction } from "../../api/types";
import { InvoiceLines } from "../../components/InvoiceLines";
import { PolledContent } from "../../components/PolledContent";
import { EmptyState } from "../../components/states";
import { formatDateTime } from "../../format";
import { usePolled } from "../../hooks/usePolled";
import { invoicePath } from "../../paths";

/** The session's invoice once a billing run issued it (polled until then). */
export function InvoiceCard({ session }: { session: Transaction }) {
  const invoices = usePolled<Page<Invoice>>(
    withQuery("/invoices", { transactionId: session.transactionId, chargerId: session.chargerId }),
    { until: (page) => page.items.length > 0 },
  );
  return (
    <Card>
      <CardHeader title="Invoice" />
      <CardContent>
        <PolledContent
          polled={invoices}
          isEmpty={(page) => page.items.length === 0}
          empty={
            <EmptyState
              title={session.status === "Active" ? "Not invoiced yet" : "Waiting for the next billing run"}
              hint={
                session.billingError
                  ? `Billing failed: ${session.billingError.reason}`
                  : "Sessions are invoiced by the billing run after they end."
              }
            />
          }
        >
          {(page) => page.items[0] !== undefined && <InvoiceLines invoice={page.items[0]} caption={<Issued invoice={page.items[0]} />} />}
        </PolledContent>
      </CardContent>
    </Card>
  );
}

function Issued({ invoice }: { invoice: Invoice }) {
  return (
    <>
      <Link component={RouterLink} to={invoicePath(invoice.invoiceId)}>
        {invoice.invoiceId}
      </Link>{" "}
      · tariff {invoice.tariffId} · issued {formatDateTime(invoice.issuedAt)}
    </>
  );
}
