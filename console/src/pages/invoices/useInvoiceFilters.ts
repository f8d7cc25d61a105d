import { useSearchParams } from "react-router";

export interface InvoiceFilterValues {
  chargerId: string;
  idToken: string;
  transactionId: string;
  /** UTC days, "YYYY-MM-DD", both included; empty: open. */
  from: string;
  to: string;
}

const NAMES: (keyof InvoiceFilterValues)[] = ["chargerId", "idToken", "transactionId", "from", "to"];

/** The list's filters live in the URL, so that a link or Back keeps them. */
export function useInvoiceFilters(): [InvoiceFilterValues, (change: Partial<InvoiceFilterValues>) => void] {
  const [params, setParams] = useSearchParams();
  const values = Object.fromEntries(NAMES.map((name) => [name, params.get(name) ?? ""])) as unknown as InvoiceFilterValues;
  const update = (change: Partial<InvoiceFilterValues>) => {
    const next = { ...values, ...change };
    setParams(Object.fromEntries(NAMES.filter((name) => next[name] !== "").map((name) => [name, next[name]])), { replace: true });
  };
  return [values, update];
}

/** The API's period, `from` inclusive and `to` exclusive: the start of the first day and of the day after the last. */
export function issuedBetween({ from, to }: Pick<InvoiceFilterValues, "from" | "to">): { from?: string; to?: string } {
  const dayStart = (day: string) => (isDay(day) ? `${day}T00:00:00Z` : undefined);
  const dayAfter = (day: string) => {
    if (!isDay(day)) return undefined;
    const next = new Date(`${day}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    return next.toISOString().replace(".000Z", "Z");
  };
  return { from: dayStart(from), to: dayAfter(to) };
}

function isDay(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(new Date(`${value}T00:00:00Z`).getTime());
}
