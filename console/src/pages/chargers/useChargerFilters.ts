import { useSearchParams } from "react-router";

export interface ChargerFilterValues {
  search: string;
  connected: "" | "true" | "false";
  status: string;
}

/** The list's filters live in the URL, so that a link (from the overview) or Back keeps them. */
export function useChargerFilters(): [ChargerFilterValues, (change: Partial<ChargerFilterValues>) => void] {
  const [params, setParams] = useSearchParams();
  const connected = params.get("connected");
  const values: ChargerFilterValues = {
    search: params.get("q") ?? "",
    connected: connected === "true" || connected === "false" ? connected : "",
    status: params.get("status") ?? "",
  };
  const update = (change: Partial<ChargerFilterValues>) => {
    const next = { ...values, ...change };
    const query: Record<string, string> = {};
    if (next.search) query.q = next.search;
    if (next.connected) query.connected = next.connected;
    if (next.status) query.status = next.status;
    setParams(query, { replace: true });
  };
  return [values, update];
}
