import { useOutletContext } from "react-router";
import type { ChargerDetail } from "../../api/types";

/** What the charger page hands its tabs: the charger as last polled. */
export interface ChargerContext {
  charger: ChargerDetail;
}

export function useChargerContext(): ChargerContext {
  return useOutletContext<ChargerContext>();
}
