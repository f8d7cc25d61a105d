import { useCallback, useEffect, useRef, useState } from "react";
import { useApi } from "../api/useApi";

/** How often screens that show live data ask again (each time a conditional GET: 304 when unchanged). */
export const LIVE_INTERVAL_MS = 3000;

export interface Polled<T> {
  data: T | undefined;
  /** The last request's error; `data` keeps the last good answer meanwhile. */
  error: unknown;
  loading: boolean;
  /** Ask again now (after a change made from this screen). */
  reload: () => void;
}

interface Options<T> {
  /** Keep asking (false: once). */
  live?: boolean;
  intervalMs?: number;
  /** Stop asking once this holds for an answer (a command that finished). */
  until?: (data: T) => boolean;
}

interface Snapshot<T> {
  path: string | null;
  data?: T;
  error?: unknown;
}

/**
 * GET `path` and, while `live`, again every `intervalMs` with `If-None-Match`, so that an unchanged
 * resource costs a 304 and no re-render. Paused while the tab is hidden; `path` null: nothing.
 */
export function usePolled<T>(path: string | null, options: Options<T> = {}): Polled<T> {
  const { live = true, intervalMs = LIVE_INTERVAL_MS, until } = options;
  const client = useApi();
  const done = useRef(until);
  useEffect(() => {
    done.current = until;
  }, [until]);
  const [snapshot, setSnapshot] = useState<Snapshot<T>>({ path: null });
  const reloadNow = useRef<() => void>(() => undefined);

  useEffect(() => {
    if (path === null) return;
    let cancelled = false;
    let etag: string | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight = false;
    let again = false;
    let over = false;

    const poll = async () => {
      clearTimeout(timer);
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      try {
        const fetched = await client.get<T>(path, etag);
        if (cancelled) return;
        if (fetched.changed) {
          etag = fetched.etag;
          over = done.current?.(fetched.data) ?? false;
          setSnapshot({ path, data: fetched.data });
        } else {
          setSnapshot((previous) => (previous.error === undefined ? previous : { ...previous, error: undefined }));
        }
      } catch (error) {
        if (cancelled) return;
        setSnapshot((previous) => ({ ...(previous.path === path ? previous : { path }), error }));
      } finally {
        inFlight = false;
        if (!cancelled) {
          if (again) {
            again = false;
            void poll();
          } else if (live && !over) {
            timer = setTimeout(tick, intervalMs);
          }
        }
      }
    };
    const tick = () => {
      if (document.hidden) timer = setTimeout(tick, intervalMs);
      else void poll();
    };
    const onVisibility = () => {
      if (!document.hidden) void poll();
    };

    reloadNow.current = () => void poll();
    void poll();
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      cancelled = true;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [client, path, live, intervalMs]);

  const reload = useCallback(() => {
    reloadNow.current();
  }, []);
  const current = snapshot.path === path ? snapshot : { path };
  return {
    data: current.data,
    error: current.error,
    loading: path !== null && current.data === undefined && current.error === undefined,
    reload,
  };
}
