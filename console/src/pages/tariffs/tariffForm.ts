import type { Tariff } from "../../api/types";

/** The prices of a tariff, as PUT /api/tariffs/{tariffId} names them (decimal strings; empty: absent). */
export const PRICE_FIELDS = [
  "pricePerKwh",
  "pricePerMinute",
  "sessionFee",
  "idleFeePerMinute",
  "idleGraceMinutes",
  "minPrice",
  "maxPrice",
  "taxRate",
] as const;

type PriceField = (typeof PRICE_FIELDS)[number];

export type TariffFields = Record<"tariffId" | "currency" | "displayText" | PriceField, string>;

export const MAX_TARIFF_ID_LENGTH = 64;
export const MAX_DISPLAY_TEXT_LENGTH = 512;
/** The API's amount: a non-negative decimal in plain notation, up to 12 digits before the point and 8 after. */
const AMOUNT = /^\d{1,12}(\.\d{1,8})?$/;
const CURRENCY = /^[A-Z]{3}$/;

export function fieldsOf(tariff: Tariff | null, tariffId = ""): TariffFields {
  const fields = {
    tariffId: tariff?.tariffId ?? tariffId,
    currency: tariff?.currency ?? "EUR",
    displayText: tariff?.displayText ?? "",
  } as TariffFields;
  for (const name of PRICE_FIELDS) fields[name] = tariff?.[name] ?? "";
  return fields;
}

/** Each field's problem, as the API would refuse it; empty when none. */
export function problems(fields: TariffFields): Partial<Record<keyof TariffFields, string>> {
  const found: Partial<Record<keyof TariffFields, string>> = {};
  const id = fields.tariffId.trim();
  if (id.length === 0 || id.length > MAX_TARIFF_ID_LENGTH) found.tariffId = `1 to ${MAX_TARIFF_ID_LENGTH} characters`;
  if (!CURRENCY.test(fields.currency.trim())) found.currency = "Three capital letters (ISO 4217), e.g. EUR";
  for (const name of PRICE_FIELDS) {
    const value = fields[name].trim();
    if (value !== "" && !AMOUNT.test(value)) found[name] = "A number like 0.35: digits, at most 8 after the point";
  }
  const [min, max] = [fields.minPrice.trim(), fields.maxPrice.trim()];
  if (!found.minPrice && !found.maxPrice && min !== "" && max !== "" && compareDecimals(min, max) > 0) {
    found.maxPrice = "At least the minimum price";
  }
  if (fields.displayText.length > MAX_DISPLAY_TEXT_LENGTH) found.displayText = `At most ${MAX_DISPLAY_TEXT_LENGTH} characters`;
  return found;
}

/** The body of PUT /api/tariffs/{tariffId}: absent (null) what was left empty. */
export function tariffBody(fields: TariffFields) {
  const body: Record<string, string | null> = {
    currency: fields.currency.trim(),
    displayText: fields.displayText.trim() === "" ? null : fields.displayText,
  };
  for (const name of PRICE_FIELDS) body[name] = fields[name].trim() === "" ? null : fields[name].trim();
  return body;
}

/** Compare two non-negative plain decimals exactly (-1, 0, 1). */
export function compareDecimals(a: string, b: string): number {
  const [aWhole = "", aDecimals = ""] = a.split(".");
  const [bWhole = "", bDecimals = ""] = b.split(".");
  const width = Math.max(aWhole.length, bWhole.length);
  const places = Math.max(aDecimals.length, bDecimals.length);
  const left = aWhole.padStart(width, "0") + aDecimals.padEnd(places, "0");
  const right = bWhole.padStart(width, "0") + bDecimals.padEnd(places, "0");
  return left === right ? 0 : left < right ? -1 : 1;
}
