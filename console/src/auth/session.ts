/** The signed-in session, kept in sessionStorage: it lasts as long as the browser tab. */
export interface Session {
  accessToken: string;
  /** Cognito only: to get a new access token without signing in again. */
  refreshToken?: string;
  /** Epoch milliseconds when the access token expires (Cognito); absent: it does not. */
  expiresAt?: number;
}

const SESSION_KEY = "csms.session";

export function readSession(): Session | null {
  const stored = sessionStorage.getItem(SESSION_KEY);
  if (stored === null) return null;
  try {
    const session = JSON.parse(stored) as Session;
    return typeof session.accessToken === "string" ? session : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(SESSION_KEY);
}

/** True when the access token expires within `marginMs` (so it is refreshed before a request). */
export function expiresSoon(session: Session, marginMs = 30_000): boolean {
  return session.expiresAt !== undefined && session.expiresAt - Date.now() < marginMs;
}
