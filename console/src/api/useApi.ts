import { useMemo } from "react";
import { useAuth } from "../auth/AuthContext";
import { apiBase } from "../config";
import { type ApiClient, createApiClient } from "./client";

/** The operator API with the signed-in user's token; a 401 sends the user back to sign-in. */
export function useApi(): ApiClient {
  const { config, token, expire } = useAuth();
  return useMemo(() => createApiClient({ base: apiBase(config), token, onUnauthorized: expire }), [config, token, expire]);
}
