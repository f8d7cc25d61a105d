import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useNavigate } from "react-router";
import type { ConsoleConfig } from "../config";
import { type Auth, AuthContext } from "./AuthContext";
import { beginSignIn, completeSignIn, isSignInRedirect, refreshSession, signOutUrl } from "./cognito";
import { clearSession, expiresSoon, readSession, saveSession, type Session } from "./session";

const EXPIRED = "Your sign-in has expired or was refused. Sign in again to continue where you were.";

export function AuthProvider({ config, children }: { config: ConsoleConfig; children: ReactNode }) {
  const navigate = useNavigate();
  const [session, setSession] = useState<Session | null>(readSession);
  const [notice, setNotice] = useState<string | null>(null);
  const current = useRef(session);
  const refreshing = useRef<Promise<string | null> | null>(null);
  // An authorization code is good for one exchange (StrictMode runs effects twice in development).
  const exchanged = useRef(false);

  const keep = useCallback((next: Session | null) => {
    current.current = next;
    if (next === null) clearSession();
    else saveSession(next);
    setSession(next);
  }, []);

  const expire = useCallback(() => {
    if (current.current === null) return;
    keep(null);
    setNotice(EXPIRED);
  }, [keep]);

  // Back from the hosted UI with an authorization code: exchange it, then return to the route.
  useEffect(() => {
    if (config.auth !== "cognito" || !isSignInRedirect(window.location.search) || exchanged.current) return;
    exchanged.current = true;
    completeSignIn(config, window.location.search).then(
      ({ session: signedIn, returnTo }) => {
        keep(signedIn);
        setNotice(null);
        void navigate(returnTo, { replace: true });
      },
      (error: unknown) => {
        setNotice(error instanceof Error ? error.message : String(error));
        void navigate("/", { replace: true });
      },
    );
  }, [config, keep, navigate]);

  const token = useCallback(async (): Promise<string | null> => {
    const now = current.current;
    if (now === null) return null;
    if (config.auth !== "cognito" || !expiresSoon(now)) return now.accessToken;
    // One refresh for all the requests that find the token about to expire.
    refreshing.current ??= refreshSession(config, now)
      .then((next) => {
        keep(next);
        return next.accessToken;
      })
      .catch(() => {
        expire();
        return null;
      })
      .finally(() => {
        refreshing.current = null;
      });
    return refreshing.current;
  }, [config, keep, expire]);

  const auth = useMemo<Auth>(
    () => ({
      config,
      session,
      notice,
      token,
      expire,
      signInWithToken: (accessToken: string) => {
        keep({ accessToken });
        setNotice(null);
      },
      signInWithCognito: async () => {
        if (config.auth !== "cognito") return;
        const { pathname, search, hash } = window.location;
        await beginSignIn(config, `${pathname}${search}${hash}`);
      },
      signOut: () => {
        keep(null);
        setNotice(null);
        if (config.auth === "cognito") window.location.assign(signOutUrl(config));
      },
    }),
    [config, session, notice, token, expire, keep],
  );

  return <AuthContext.Provider value={auth}>{children}</AuthContext.Provider>;
}
