import type { ReactNode } from "react";
import { useLocation } from "react-router";
import { Loading } from "../components/states";
import { useAuth } from "./AuthContext";
import { isSignInRedirect } from "./cognito";
import { MeGate } from "./MeGate";
import { SignInPage } from "./SignInPage";

/** Signed out: the sign-in page in place of the route (the URL stays, so sign-in returns to it). */
export function SessionGate({ children }: { children: ReactNode }) {
  const { config, session } = useAuth();
  const location = useLocation();
  if (session === null) {
    const exchanging = config.auth === "cognito" && isSignInRedirect(location.search);
    return exchanging ? <Loading label="Signing in…" /> : <SignInPage />;
  }
  return <MeGate>{children}</MeGate>;
}
