import type { Role } from "../../api/types";

/** What each role may do, lowest first (the API enforces it: README "Roles"). */
export const ROLE_DESCRIPTIONS: Record<Role, { label: string; may: string }> = {
  viewers: { label: "Viewer", may: "Sees everything, changes nothing" },
  operators: { label: "Operator", may: "Also sends commands to chargers and runs billing" },
  admins: { label: "Administrator", may: "Also manages chargers, id tokens, tariffs and users" },
};

/** Cognito's user status in words. */
export function describeStatus(status: string, enabled: boolean): string {
  if (!enabled) return "Disabled";
  if (status === "FORCE_CHANGE_PASSWORD") return "Invited";
  if (status === "CONFIRMED") return "Active";
  return status;
}

/** A plausible e-mail address (Cognito has the last word: it refuses what it cannot send to). */
export function emailProblem(email: string): string | null {
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return "An e-mail address, like alice@example.com";
  return null;
}
