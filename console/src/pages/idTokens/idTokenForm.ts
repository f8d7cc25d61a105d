import type { IdToken } from "../../api/types";

/** The form's fields as typed (empty: absent). */
export interface IdTokenFields {
  idToken: string;
  status: IdToken["status"];
  type: string;
  parentId: string;
  tariffId: string;
  /** `datetime-local`, in the browser's time zone. */
  expiry: string;
}

/** What the API takes: 1 to 36 characters (OCPP 2.0.1 IdTokenType; 1.6 chargers take 20 at most). */
export const MAX_ID_TOKEN_LENGTH = 36;

export function fieldsOf(token: IdToken | null): IdTokenFields {
  return {
    idToken: token?.idToken ?? "",
    status: token?.status ?? "Accepted",
    type: token?.type ?? "",
    parentId: token?.parentId ?? "",
    tariffId: token?.tariffId ?? "",
    expiry: token?.expiry ? toLocalInput(token.expiry) : "",
  };
}

/** Each field's problem, as the API would refuse it; empty when none. */
export function problems(fields: IdTokenFields): Partial<Record<keyof IdTokenFields, string>> {
  const found: Partial<Record<keyof IdTokenFields, string>> = {};
  const id = fields.idToken.trim();
  if (id.length === 0 || id.length > MAX_ID_TOKEN_LENGTH) found.idToken = `1 to ${MAX_ID_TOKEN_LENGTH} characters`;
  if (fields.parentId.trim().length > MAX_ID_TOKEN_LENGTH) found.parentId = `At most ${MAX_ID_TOKEN_LENGTH} characters`;
  if (fields.expiry && Number.isNaN(new Date(fields.expiry).getTime())) found.expiry = "Not a date and time";
  return found;
}

/** The body of PUT /api/id-tokens/{idToken} (it replaces the whole token). */
export function registration(fields: IdTokenFields) {
  const optional = (value: string) => (value.trim() === "" ? null : value.trim());
  return {
    status: fields.status,
    type: optional(fields.type),
    parentId: optional(fields.parentId),
    tariffId: optional(fields.tariffId),
    expiry: fields.expiry ? new Date(fields.expiry).toISOString() : null,
  };
}

/** An ISO instant as a `datetime-local` value in the browser's time zone ("2027-12-31T23:59"). */
function toLocalInput(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}
