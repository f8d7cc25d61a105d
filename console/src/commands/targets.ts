import type { Charger } from "../api/types";

/** Where a command acts, as the shortcut endpoints take it: 1.6 `connectorId`, 2.0.1 `evseId` (+ `connectorId`). */
export interface Target {
  label: string;
  body: { connectorId?: number; evseId?: number };
}

export function isOcpp16(charger: Charger): boolean {
  return charger.ocppVersion === "1.6";
}

/**
 * The charger's connectors as targets: 1.6 connectors (not 0, the whole charger); 2.0.1 EVSEs
 * (`evses`) and/or each EVSE's connectors (`connectors`).
 */
export function connectorTargets(charger: Charger, levels: { evses: boolean; connectors: boolean }): Target[] {
  if (isOcpp16(charger)) {
    return charger.connectors
      .filter((connector) => connector.connectorId > 0)
      .map(({ connectorId }) => ({ label: `Connector ${connectorId}`, body: { connectorId } }));
  }
  const targets: Target[] = [];
  const evseIds = [...new Set(charger.connectors.map((connector) => connector.evseId))].filter(
    (evseId): evseId is number => evseId !== null && evseId > 0,
  );
  for (const evseId of evseIds.sort((a, b) => a - b)) {
    if (levels.evses) targets.push({ label: `EVSE ${evseId}`, body: { evseId } });
    if (levels.connectors) {
      for (const { connectorId } of charger.connectors.filter((connector) => connector.evseId === evseId)) {
        targets.push({ label: `EVSE ${evseId}, connector ${connectorId}`, body: { evseId, connectorId } });
      }
    }
  }
  return targets;
}

/** The request fields of the chosen target (none for "" or an unknown label). */
export function targetBody(targets: Target[], value: string): Target["body"] {
  return targets.find((target) => target.label === value)?.body ?? {};
}
