import { Table, TableBody, TableCell, TableHead, TableRow } from "@mui/material";
import type { ReactNode } from "react";
import type { Invoice, InvoiceLine } from "../api/types";
import { formatMoney, formatPercent, formatPrice, toNumber } from "../format";

/** The line kinds billing writes (`csms.domain.tariffs`), in words, with the unit of their quantity. */
const KINDS: Record<string, { label: string; unit?: string }> = {
  energy: { label: "Energy", unit: "kWh" },
  time: { label: "Charging time", unit: "min" },
  idle: { label: "Idle time", unit: "min" },
  sessionFee: { label: "Session fee" },
  minimumPrice: { label: "Up to the minimum price" },
  maximumPrice: { label: "Down to the maximum price" },
};
/** The tax line: its quantity is the net, its unit price the rate. */
const TAX = "tax";

/** What an invoice charges: its lines, then net, tax (with its rate) and total in its currency; `caption` below. */
export function InvoiceLines({ invoice, caption }: { invoice: Invoice; caption?: ReactNode }) {
  const money = (amount: Invoice["net"]) => formatMoney(amount, invoice.currency);
  const taxLine = invoice.lines.find((line) => line.kind === TAX);
  const rate = taxLine === undefined ? null : formatPercent(taxLine.unitPrice);
  const totals = [
    ["Net", invoice.net],
    [rate === null ? "Tax" : `Tax (${rate})`, invoice.tax],
    ["Total", invoice.total],
  ] as const;
  return (
    <Table size="small" aria-label="Invoice lines">
      <TableHead>
        <TableRow>
          <TableCell>Line</TableCell>
          <TableCell align="right">Quantity</TableCell>
          <TableCell align="right">Unit price</TableCell>
          <TableCell align="right">Amount</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {invoice.lines
          .filter((line) => line.kind !== TAX)
          .map((line) => (
            <TableRow key={line.kind}>
              <TableCell>{KINDS[line.kind]?.label ?? line.kind}</TableCell>
              <TableCell align="right">{quantity(line)}</TableCell>
              <TableCell align="right">{formatPrice(line.unitPrice, invoice.currency)}</TableCell>
              <TableCell align="right">{money(line.amount)}</TableCell>
            </TableRow>
          ))}
        {totals.map(([label, amount], index) => {
          const bold = index === totals.length - 1;
          return (
            <TableRow key={label}>
              <TableCell colSpan={3} sx={{ fontWeight: bold ? 700 : 400 }}>
                {label}
              </TableCell>
              <TableCell align="right" sx={{ fontWeight: bold ? 700 : 400 }}>
                {money(amount)}
              </TableCell>
            </TableRow>
          );
        })}
        {caption !== undefined && (
          <TableRow>
            <TableCell colSpan={4} sx={{ color: "text.secondary", borderBottom: 0 }}>
              {caption}
            </TableCell>
          </TableRow>
        )}
      </TableBody>
    </Table>
  );
}

/** "0.365 kWh", "12.517 min" (minutes are exact to the microsecond: shown to 3 decimals). */
function quantity(line: InvoiceLine): string {
  const unit = KINDS[line.kind]?.unit;
  const value = toNumber(line.quantity);
  const shown = value === null ? String(line.quantity) : value.toLocaleString(undefined, { maximumFractionDigits: 3 });
  return unit === undefined ? shown : `${shown} ${unit}`;
}
