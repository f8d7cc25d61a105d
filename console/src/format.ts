import type { Decimal } from "./api/types";

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** "3 minutes ago", "in 2 hours". */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "never";
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  if (Number.isNaN(seconds)) return iso;
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(seconds, "second");
}

/** "1 h 05 min", "12 min", "40 s": from `from` to `to` (or now). */
export function formatDuration(from: string, to: string | null, now = Date.now()): string {
  const seconds = Math.max(0, Math.round(((to === null ? now : new Date(to).getTime()) - new Date(from).getTime()) / 1000));
  if (Number.isNaN(seconds)) return "—";
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

export function toNumber(value: Decimal | null | undefined): number | null {
  if (value === null || value === undefined || value === "") return null;
  const number = typeof value === "number" ? value : Number(value);
  return Number.isFinite(number) ? number : null;
}

/** Watt-hours as kWh with up to 2 decimals ("12.35 kWh"). */
export function formatEnergy(wh: Decimal | null | undefined): string {
  const value = toNumber(wh);
  if (value === null) return "—";
  return `${(value / 1000).toLocaleString(undefined, { maximumFractionDigits: 2 })} kWh`;
}

export function formatMoney(amount: Decimal | null | undefined, currency: string): string {
  const value = toNumber(amount);
  if (value === null) return "—";
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(value);
  } catch {
    return `${value} ${currency}`; // not an ISO 4217 code
  }
}

/** A connector's name: "1" (1.6; 0 is the whole charger), "EVSE 1/1" or "EVSE 1" (2.0.1), "—" for none. */
export function connectorName(place: { connectorId: number | null; evseId: number | null }): string {
  const { connectorId, evseId } = place;
  if (evseId !== null) return connectorId === null ? `EVSE ${evseId}` : `EVSE ${evseId}/${connectorId}`;
  return connectorId === null ? "—" : String(connectorId);
}

/** A unit price exactly as given ("0.355" EUR stays €0.355), at least the currency's usual decimals. */
export function formatPrice(amount: Decimal | null | undefined, currency: string): string {
  const value = toNumber(amount);
  if (value === null) return "—";
  const decimals = String(amount).split(".")[1]?.length ?? 0;
  try {
    const usual = new Intl.NumberFormat(undefined, { style: "currency", currency }).resolvedOptions().minimumFractionDigits ?? 2;
    return new Intl.NumberFormat(undefined, {
      style: "currency",
      currency,
      minimumFractionDigits: Math.min(usual, 20),
      maximumFractionDigits: Math.min(Math.max(decimals, usual), 20),
    }).format(value);
  } catch {
    return `${String(amount)} ${currency}`; // not an ISO 4217 code
  }
}

/** "0.19" as "19 %" (exactly: no binary float in between); null for what is not a plain decimal. */
export function formatPercent(fraction: Decimal | null | undefined): string | null {
  const value = String(fraction ?? "").trim();
  if (!/^\d+(\.\d+)?$/.test(value)) return null;
  const [whole = "0", decimals = ""] = value.split(".");
  const digits = `${whole}${decimals.padEnd(2, "0")}`;
  const point = whole.length + 2;
  const integer = digits.slice(0, point).replace(/^0+(?=\d)/, "");
  const rest = digits.slice(point).replace(/0+$/, "");
  return `${integer}${rest ? `.${rest}` : ""} %`;
}

/** A current ("16.5 A"), "—" for none (a charger that does not report it). */
export function formatAmps(amps: number | null | undefined): string {
  return amps === null || amps === undefined ? "—" : `${amps.toLocaleString(undefined, { maximumFractionDigits: 1 })} A`;
}
