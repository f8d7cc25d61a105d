import { createContext, useContext } from "react";
import type { Me } from "../api/types";

export const MeContext = createContext<Me | null>(null);

/** The signed-in user and what their role allows (`canOperate`: commands, `canAdminister`: changes). */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (me === null) throw new Error("useMe outside MeGate");
  return me;
}
