import { Link, Paper, Stack, Table, TableBody, TableCell, TableContainer, TableFooter, TableHead, TableRow, TextField } from "@mui/material";
import { Link as RouterLink } from "react-router";
import { withQuery } from "../../api/client";
import type { Invoice, Page } from "../../api/types";
import { FirstPageNotice } from "../../components/FirstPageNotice";
import { PageHeader } from "../../components/PageHeader";
import { PolledContent } from "../../components/PolledContent";
import { EmptyState } from "../../components/states";
import { formatDateTime, formatEnergy, formatMoney, toNumber } from "../../format";
import { usePolled } from "../../hooks/usePolled";
import { chargerPath, invoicePath, sessionPath } from "../../paths";
import { ExportButton } from "./ExportButton";
import { type InvoiceFilterValues, issuedBetween, useInvoiceFilters } from "./useInvoiceFilters";

const PAGE_SIZE = 500;

/** Invoices issued by billing runs, newest first, live; filters in the URL; the period's CSV. */
export function InvoicesPage() {
  const [filters, setFilters] = useInvoiceFilters();
  const invoices = usePolled<Page<Invoice>>(
    withQuery("/invoices", {
      limit: PAGE_SIZE,
      chargerId: filters.chargerId.trim(),
      idToken: filters.idToken.trim(),
      transactionId: filters.transactionId.trim(),
      ...issuedBetween(filters),
    }),
  );
  const filtered = Object.values(filters).some((value) => value !== "");
  return (
    <>
      <PageHeader title="Invoices" subtitle="One per billed session, newest first, live" actions={<ExportButton filters={filters} />} />
      <InvoiceFilters values={filters} onChange={setFilters} />
      <PolledContent
        polled={invoices}
        isEmpty={(page) => page.items.length === 0}
        empty={
          filtered ? (
            <EmptyState title="No invoice matches" hint="Change or clear the filters." />
          ) : (
            <EmptyState
              title="No invoices yet"
              hint="A billing run invoices each completed session with a tariff (every 15 minutes by default; csms local --billing-interval sets it)."
            />
          )
        }
      >
        {(page) => (
          <>
            <FirstPageNotice nextToken={page.nextToken} count={PAGE_SIZE} what="invoices" hint="Narrow the period to see the others." />
            <InvoiceTable invoices={page.items} />
          </>
        )}
      </PolledContent>
    </>
  );
}

function InvoiceFilters({ values, onChange }: { values: InvoiceFilterValues; onChange: (change: Partial<InvoiceFilterValues>) => void }) {
  const text = (name: "chargerId" | "idToken" | "transactionId", label: string) => (
    <TextField label={label} value={values[name]} onChange={(event) => onChange({ [name]: event.target.value })} sx={{ flex: 1 }} />
  );
  const day = (name: "from" | "to", label: string) => (
    <TextField
      label={label}
      type="date"
      value={values[name]}
      onChange={(event) => onChange({ [name]: event.target.value })}
      helperText="UTC, the whole day"
      slotProps={{ inputLabel: { shrink: true } }}
    />
  );
  return (
    <Stack direction={{ xs: "column", md: "row" }} spacing={2} sx={{ mb: 2 }}>
      {text("chargerId", "Charger id")}
      {text("idToken", "Id token")}
      {text("transactionId", "Session id")}
      {day("from", "From")}
      {day("to", "To")}
    </Stack>
  );
}

function InvoiceTable({ invoices }: { invoices: Invoice[] }) {
  const newestFirst = [...invoices].sort((a, b) => b.issuedAt.localeCompare(a.issuedAt));
  return (
    <TableContainer component={Paper}>
      <Table size="small" aria-label="Invoices">
        <TableHead>
          <TableRow>
            <TableCell>Issued</TableCell>
            <TableCell>Invoice</TableCell>
            <TableCell>Charger</TableCell>
            <TableCell>Session</TableCell>
            <TableCell>Id token</TableCell>
            <TableCell align="right">Energy</TableCell>
            <TableCell align="right">Net</TableCell>
            <TableCell align="right">Tax</TableCell>
            <TableCell align="right">Total</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {newestFirst.map((invoice) => (
            <TableRow key={invoice.invoiceId} hover>
              <TableCell>{formatDateTime(invoice.issuedAt)}</TableCell>
              <TableCell>
                <Link component={RouterLink} to={invoicePath(invoice.invoiceId)} sx={{ fontFamily: "monospace" }}>
                  {invoice.invoiceId.slice(0, 8)}
                </Link>
              </TableCell>
              <TableCell>
                <Link component={RouterLink} to={chargerPath(invoice.chargerId)}>
                  {invoice.chargerId}
                </Link>
              </TableCell>
              <TableCell>
                <Link component={RouterLink} to={sessionPath(invoice)}>
                  {invoice.transactionId}
                </Link>
              </TableCell>
              <TableCell>{invoice.idToken ?? "—"}</TableCell>
              <TableCell align="right">{formatEnergy(invoice.energyWh)}</TableCell>
              <TableCell align="right">{formatMoney(invoice.net, invoice.currency)}</TableCell>
              <TableCell align="right">{formatMoney(invoice.tax, invoice.currency)}</TableCell>
              <TableCell align="right">{formatMoney(invoice.total, invoice.currency)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
        <TableFooter>
          <TableRow>
            <TableCell colSpan={8}>
              {invoices.length} {invoices.length === 1 ? "invoice" : "invoices"}
            </TableCell>
            <TableCell align="right" sx={{ fontWeight: 700 }}>
              {totalsByCurrency(invoices)}
            </TableCell>
          </TableRow>
        </TableFooter>
      </Table>
    </TableContainer>
  );
}

/** "€12.30 · CHF 4.00": the totals of the invoices shown, per currency (rounded to the currency's unit as shown). */
function totalsByCurrency(invoices: Invoice[]): string {
  const sums = new Map<string, number>();
  for (const invoice of invoices) sums.set(invoice.currency, (sums.get(invoice.currency) ?? 0) + (toNumber(invoice.total) ?? 0));
  return [...sums.entries()].map(([currency, sum]) => formatMoney(sum, currency)).join(" · ");
}
