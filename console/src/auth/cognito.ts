import type { CognitoConfig } from "../config";
import { challengeFor, randomString } from "./pkce";
import type { Session } from "./session";

/** What survives the round trip through the hosted UI (sessionStorage, this tab only). */
interface PendingSignIn {
  state: string;
  verifier: string;
  returnTo: string;
}

const PENDING_KEY = "csms.pendingSignIn";

interface TokenAnswer {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
}

/** Go to the hosted UI; it comes back to `redirectUri` with `?code=...&state=...`. */
export async function beginSignIn(config: CognitoConfig, returnTo: string): Promise<never> {
  const pending: PendingSignIn = { state: randomString(), verifier: randomString(48), returnTo };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL("/oauth2/authorize", config.cognitoDomain);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: config.scopes.join(" "),
    state: pending.state,
    code_challenge: await challengeFor(pending.verifier),
    code_challenge_method: "S256",
  }).toString();
  window.location.assign(url.toString());
  return new Promise<never>(() => undefined); // the page is leaving
}

/** True when this page load is the hosted UI's redirect back (an authorization code or an error). */
export function isSignInRedirect(search: string): boolean {
  const params = new URLSearchParams(search);
  return params.has("state") && (params.has("code") || params.has("error"));
}

/** Exchange the code for tokens; returns the session and the route to go back to. */
export async function completeSignIn(
  config: CognitoConfig,
  search: string,
): Promise<{ session: Session; returnTo: string }> {
  const params = new URLSearchParams(search);
  const stored = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  const pending = stored === null ? null : (JSON.parse(stored) as PendingSignIn);
  if (pending?.state !== params.get("state")) {
    throw new Error("This sign-in did not start here (state mismatch). Sign in again.");
  }
  const error = params.get("error");
  if (error !== null) throw new Error(`Sign-in failed: ${params.get("error_description") ?? error}`);
  const answer = await tokenRequest(config, {
    grant_type: "authorization_code",
    code: params.get("code") ?? "",
    redirect_uri: config.redirectUri,
    code_verifier: pending.verifier,
  });
  return { session: sessionFrom(answer), returnTo: pending.returnTo };
}

/** A new access token from the refresh token (Cognito does not rotate it: the old one is kept). */
export async function refreshSession(config: CognitoConfig, session: Session): Promise<Session> {
  if (session.refreshToken === undefined) throw new Error("No refresh token");
  const answer = await tokenRequest(config, { grant_type: "refresh_token", refresh_token: session.refreshToken });
  return sessionFrom(answer, session.refreshToken);
}

/** The hosted UI's sign-out, back to the console (its URL must be a sign-out URL of the app client). */
export function signOutUrl(config: CognitoConfig): string {
  const url = new URL("/logout", config.cognitoDomain);
  url.search = new URLSearchParams({ client_id: config.clientId, logout_uri: config.redirectUri }).toString();
  return url.toString();
}

async function tokenRequest(config: CognitoConfig, form: Record<string, string>): Promise<TokenAnswer> {
  const response = await fetch(new URL("/oauth2/token", config.cognitoDomain), {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: config.clientId, ...form }),
  });
  if (!response.ok) throw new Error(`Cognito refused the token request (${response.status})`);
  return (await response.json()) as TokenAnswer;
}

function sessionFrom(answer: TokenAnswer, previousRefreshToken?: string): Session {
  const refreshToken = answer.refresh_token ?? previousRefreshToken;
  return {
    accessToken: answer.access_token,
    expiresAt: Date.now() + answer.expires_in * 1000,
    ...(refreshToken === undefined ? {} : { refreshToken }),
  };
}
