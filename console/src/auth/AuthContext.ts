import { createContext, useContext } from "react";
import type { ConsoleConfig } from "../config";
import type { Session } from "./session";

export interface Auth {
  config: ConsoleConfig;
  session: Session | null;
  /** Why the user is back at sign-in (an expired or refused sign-in), if that is the reason. */
  notice: string | null;
  /** The bearer token to send now, refreshed first when it is about to expire; null when signed out. */
  token: () => Promise<string | null>;
  /** Local sign-in: keep the token for this tab. */
  signInWithToken: (token: string) => void;
  /** Cognito sign-in: to the hosted UI and back to the current route. */
  signInWithCognito: () => Promise<void>;
  signOut: () => void;
  /** The API refused the token (401): back to sign-in, on the same route. */
  expire: () => void;
}

export const AuthContext = createContext<Auth | null>(null);

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (auth === null) throw new Error("useAuth outside AuthProvider");
  return auth;
}
