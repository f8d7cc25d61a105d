import { segment } from "../../api/client";

/** OCPP identity: 1 to 48 printable characters, no '/' (`csms.domain.identity`). */
export const MAX_CHARGER_ID_LENGTH = 48;
/** HTTP Basic password: the API takes 8 to 40 characters; OCPP recommends at least 16. */
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 40;
const GENERATED_LENGTH = 32;
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"; // no 0/O, 1/l/I to misread

export function chargerIdProblem(id: string): string | null {
  if (id.length === 0 || id.length > MAX_CHARGER_ID_LENGTH) return `1 to ${MAX_CHARGER_ID_LENGTH} characters`;
  if (id.includes("/")) return "No '/': the id is the last part of the charger's URL";
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u001f\u007f-\u009f]/.test(id)) return "Printable characters only";
  return null;
}

export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    return `${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters (16 or more recommended)`;
  }
  return null;
}

/** A random password of 32 letters and digits (about 186 bits), from the browser's CSPRNG. */
type RandomBytes = (bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer>;

export function generatePassword(random: RandomBytes = (bytes) => crypto.getRandomValues(bytes)): string {
  const chosen: string[] = [];
  // Rejection sampling: bytes beyond the last whole multiple of the alphabet would favour its first letters.
  const limit = 256 - (256 % ALPHABET.length);
  while (chosen.length < GENERATED_LENGTH) {
    for (const byte of random(new Uint8Array(GENERATED_LENGTH))) {
      if (byte < limit && chosen.length < GENERATED_LENGTH) chosen.push(ALPHABET.charAt(byte % ALPHABET.length));
    }
  }
  return chosen.join("");
}

/**
 * Where the charger connects: the configured OCPP URL (on AWS the WebSocket API has its own domain),
 * else the host the console is served from (`csms local` serves both), ws:// or wss:// like the page.
 */
export function ocppUrl(chargerId: string, configured: string | undefined, location: Pick<Location, "protocol" | "host">): string {
  const base = configured ?? `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ocpp/`;
  return `${base.replace(/\/*$/, "/")}${segment(chargerId)}`;
}
