import { Card, CardContent, CardHeader, Table, TableBody, TableCell, TableHead, TableRow } from "@mui/material";
import { withQuery } from "../../api/client";
import type { Invoice, Page, Transaction } from "../../api/types";
import { PolledContent } from "../../components/PolledContent";
import { EmptyState } from "../../components/states";
import { formatDateTime, formatMoney } from "../../format";
import { usePolled } from "../../hooks/usePolled";

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
          {(page) => page.items[0] !== undefined && <InvoiceTable invoice={page.items[0]} />}
        </PolledContent>
      </CardContent>
    </Card>
  );
}

function InvoiceTable({ invoice }: { invoice: Invoice }) {
  const money = (amount: Invoice["net"]) => formatMoney(amount, invoice.currency);
  return (
    <Table size="small" aria-label="Invoice">
      <TableHead>
        <TableRow>
          <TableCell>Line</TableCell>
          <TableCell align="right">Quantity</TableCell>
          <TableCell align="right">Unit price</TableCell>
          <TableCell align="right">Amount</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {invoice.lines.map((line) => (
          <TableRow key={line.kind}>
            <TableCell>{line.kind}</TableCell>
            <TableCell align="right">{line.quantity}</TableCell>
            <TableCell align="right">{money(line.unitPrice)}</TableCell>
            <TableCell align="right">{money(line.amount)}</TableCell>
          </TableRow>
        ))}
        {(
          [
            ["Net", invoice.net],
            ["Tax", invoice.tax],
            ["Total", invoice.total],
          ] as const
        ).map(([label, amount]) => (
          <TableRow key={label}>
            <TableCell colSpan={3} sx={{ fontWeight: label === "Total" ? 700 : 400 }}>
              {label}
            </TableCell>
            <TableCell align="right" sx={{ fontWeight: label === "Total" ? 700 : 400 }}>
              {money(amount)}
            </TableCell>
          </TableRow>
        ))}
        <TableRow>
          <TableCell colSpan={4} sx={{ color: "text.secondary", borderBottom: 0 }}>
            {invoice.invoiceId} · tariff {invoice.tariffId} · issued {formatDateTime(invoice.issuedAt)}
          </TableCell>
        </TableRow>
      </TableBody>
    </Table>
  );
}
