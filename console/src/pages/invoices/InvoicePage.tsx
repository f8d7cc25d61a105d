import { Breadcrumbs, Card, CardContent, CardHeader, Grid, Link, Table, TableBody, TableCell, TableRow } from "@mui/material";
import type { ReactNode } from "react";
import { Link as RouterLink, useParams } from "react-router";
import { segment } from "../../api/client";
import type { Invoice } from "../../api/types";
import { InvoiceLines } from "../../components/InvoiceLines";
import { PageHeader } from "../../components/PageHeader";
import { PolledContent } from "../../components/PolledContent";
import { formatDateTime, formatEnergy, formatMoney } from "../../format";
import { usePolled } from "../../hooks/usePolled";
import { chargerPath, sessionPath } from "../../paths";

/** One invoice: what it bills (an invoice never changes once issued, so it is read once). */
export function InvoicePage() {
  const { invoiceId = "" } = useParams();
  const invoice = usePolled<Invoice>(`/invoices/${segment(invoiceId)}`, { live: false });
  return (
    <>
      <Breadcrumbs sx={{ mb: 1 }}>
        <Link component={RouterLink} to="/invoices" underline="hover" color="inherit">
          Invoices
        </Link>
        <span>{invoiceId}</span>
      </Breadcrumbs>
      <PolledContent polled={invoice}>{(data) => <InvoiceView invoice={data} />}</PolledContent>
    </>
  );
}

function InvoiceView({ invoice }: { invoice: Invoice }) {
  const facts: [string, ReactNode][] = [
    ["Issued", formatDateTime(invoice.issuedAt)],
    [
      "Charger",
      <Link key="charger" component={RouterLink} to={chargerPath(invoice.chargerId)}>
        {invoice.chargerId}
      </Link>,
    ],
    [
      "Session",
      <Link key="session" component={RouterLink} to={sessionPath(invoice)}>
        {invoice.transactionId}
      </Link>,
    ],
    ["Id token", invoice.idToken ?? "—"],
    ["Tariff", invoice.tariffId],
    ["Started", formatDateTime(invoice.startedAt)],
    ["Stopped", formatDateTime(invoice.stoppedAt)],
    ["Energy", formatEnergy(invoice.energyWh)],
  ];
  return (
    <>
      <PageHeader title={`Invoice ${invoice.invoiceId}`} subtitle={`${formatMoney(invoice.total, invoice.currency)}, issued ${formatDateTime(invoice.issuedAt)}`} />
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, md: 5 }}>
          <Card>
            <CardHeader title="Session" />
            <CardContent>
              <Table size="small" aria-label="Invoice details">
                <TableBody>
                  {facts.map(([label, value]) => (
                    <TableRow key={label}>
                      <TableCell component="th" scope="row" sx={{ color: "text.secondary", width: 120 }}>
                        {label}
                      </TableCell>
                      <TableCell sx={{ overflowWrap: "anywhere" }}>{value}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </CardContent>
          </Card>
        </Grid>
        <Grid size={{ xs: 12, md: 7 }}>
          <Card>
            <CardHeader title="Charges" />
            <CardContent>
              <InvoiceLines invoice={invoice} />
            </CardContent>
          </Card>
        </Grid>
      </Grid>
    </>
  );
}
