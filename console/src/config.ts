/** How the console signs in and where the API is, read from `/config.json` served next to it. */
export type ConsoleConfig = TokenConfig | CognitoConfig;

interface Endpoints {
  /** Where charge points connect, their id appended (`wss://.../ocpp/`); absent: this host's `/ocpp/`. */
  ocppUrl?: string;
}

/** `csms local`: the runtime's bearer token, typed once. */
export interface TokenConfig extends Endpoints {
  auth: "token";
  apiUrl?: string;
}

/** AWS: the Cognito hosted UI, authorization code with PKCE. */
export interface CognitoConfig extends Endpoints {
  auth: "cognito";
  apiUrl: string;
  cognitoDomain: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
}

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch("/config.json", { cache: "no-store" });
  if (!response.ok) throw new Error(`GET /config.json answered ${response.status}`);
  const config = (await response.json()) as { auth?: unknown };
  if (config.auth !== "token" && config.auth !== "cognito") {
    throw new Error(`config.json: unknown auth "${String(config.auth)}"`);
  }
  return config as ConsoleConfig;
}

/** The API's base URL without a trailing slash (same origin `/api` unless configured). */
export function apiBase(config: ConsoleConfig): string {
  return (config.apiUrl ?? "/api").replace(/\/+$/, "");
}
