import { describe, expect, it } from "vitest";
import type { Charger, Connector } from "../api/types";
import { connectorTargets, targetBody } from "./targets";

function charger(ocppVersion: string, places: [number | null, number][]): Charger {
  const connectors: Connector[] = places.map(([evseId, connectorId]) => ({
    evseId,
    connectorId,
    status: "Available",
    errorCode: null,
    info: null,
    timestamp: "2026-01-01T00:00:00Z",
  }));
  return {
    id: "CP-1",
    connected: true,
    ocppVersion,
    vendor: null,
    model: null,
    serialNumber: null,
    firmwareVersion: null,
    lastSeen: null,
    lastBoot: null,
    hasPassword: true,
    connectors,
  };
}

describe("connectorTargets", () => {
  it("offers 1.6 connectors but not connector 0 (the whole charger)", () => {
    const targets = connectorTargets(charger("1.6", [[null, 0], [null, 1], [null, 2]]), { evses: true, connectors: true });
    expect(targets).toEqual([
      { label: "Connector 1", body: { connectorId: 1 } },
      { label: "Connector 2", body: { connectorId: 2 } },
    ]);
  });

  it("offers 2.0.1 EVSEs and/or their connectors, in EVSE order", () => {
    const cp = charger("2.0.1", [[2, 1], [1, 1], [1, 2]]);
    expect(connectorTargets(cp, { evses: true, connectors: false }).map((t) => t.body)).toEqual([{ evseId: 1 }, { evseId: 2 }]);
    expect(connectorTargets(cp, { evses: false, connectors: true }).map((t) => t.label)).toEqual([
      "EVSE 1, connector 1",
      "EVSE 1, connector 2",
      "EVSE 2, connector 1",
    ]);
  });

  it("gives the chosen target's fields, and none for no choice", () => {
    const targets = connectorTargets(charger("2.0.1", [[1, 1]]), { evses: true, connectors: true });
    expect(targetBody(targets, "EVSE 1, connector 1")).toEqual({ evseId: 1, connectorId: 1 });
    expect(targetBody(targets, "")).toEqual({});
  });
});
