import { apiErrorFrom } from "./errors";

/** A conditional GET's outcome: unchanged since `etag`, or the new body and its ETag. */
export type Fetched<T> = { changed: false } | { changed: true; data: T; etag: string | null };

export interface ApiClient {
  /** GET `path` (under the API base), with `If-None-Match: etag` when one is given. */
  get<T>(path: string, etag?: string | null): Promise<Fetched<T>>;
  /** A request that changes something; resolves to the JSON answer (undefined for 204). */
  send<T>(method: "POST" | "PUT" | "DELETE", path: string, body?: unknown): Promise<T>;
  /** GET a file (CSV) with the bearer token, which a plain link cannot send. */
  download(path: string): Promise<Blob>;
}

export interface ClientOptions {
  base: string;
  /** The bearer token to send now (refreshed first if it is about to expire); null: signed out. */
  token: () => Promise<string | null>;
  /** The API answered 401: the sign-in is gone or expired. */
  onUnauthorized: () => void;
}

export function createApiClient({ base, token, onUnauthorized }: ClientOptions): ApiClient {
  async function request(method: string, path: string, init: { body?: unknown; etag?: string | null }) {
    const headers = new Headers({ Accept: "application/json" });
    const bearer = await token();
    if (bearer !== null) headers.set("Authorization", `Bearer ${bearer}`);
    if (init.etag) headers.set("If-None-Match", init.etag);
    if (init.body !== undefined) headers.set("Content-Type", "application/json");
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      body: init.body === undefined ? null : JSON.stringify(init.body),
      // The API's ETags do the caching; the browser's own cache would only add its revalidations.
      cache: "no-store",
    });
    if (response.status === 401) onUnauthorized();
    if (!response.ok && response.status !== 304) throw await apiErrorFrom(response);
    return response;
  }

  return {
    async get<T>(path: string, etag?: string | null): Promise<Fetched<T>> {
      const response = await request("GET", path, { etag: etag ?? null });
      if (response.status === 304) return { changed: false };
      return { changed: true, data: (await response.json()) as T, etag: response.headers.get("ETag") };
    },
    async send<T>(method: "POST" | "PUT" | "DELETE", path: string, body?: unknown): Promise<T> {
      const response = await request(method, path, { body });
      if (response.status === 204) return undefined as T;
      return (await response.json()) as T;
    },
    async download(path: string): Promise<Blob> {
      const response = await request("GET", path, {});
      return response.blob();
    },
  };
}

/** `path?name=value&...` with the defined, non-empty parameters, encoded. */
export function withQuery(path: string, params: Record<string, string | number | boolean | null | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") query.set(name, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** One path segment, percent-encoded (charge point ids may hold any printable character). */
export const segment = encodeURIComponent;
