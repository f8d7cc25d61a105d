import { describe, expect, it } from "vitest";
import type { SiteAllocation } from "../../api/types";
import { allocationSeries } from "./allocationSeries";

function allocation(computedAt: string | null, limit: number, allocated: number, measured: number | null): SiteAllocation {
  return {
    siteId: "depot",
    computedAt,
    limitInForce: { amps: limit, source: "configured", until: null },
    sessions: [],
    totals: { allocatedAmps: allocated, effectiveAmps: allocated, measuredAmps: measured },
  };
}

const NOW = new Date("2026-11-23T10:00:00Z");

describe("allocationSeries", () => {
  it("puts the history (newest first) oldest first and ends with the allocation in force now", () => {
    const history = [allocation("2026-11-23T09:30:00Z", 32, 32, 20.5), allocation("2026-11-23T09:00:00Z", 40, 16, null)];
    expect(allocationSeries(history, allocation("2026-11-23T09:30:00Z", 20, 20, 18.2), NOW)).toEqual([
      { time: new Date("2026-11-23T09:00:00Z"), limitAmps: 40, allocatedAmps: 16, measuredAmps: null },
      { time: new Date("2026-11-23T09:30:00Z"), limitAmps: 32, allocatedAmps: 32, measuredAmps: 20.5 },
      { time: NOW, limitAmps: 20, allocatedAmps: 20, measuredAmps: 18.2 },
    ]);
  });

  it("has no points before the first rebalance, and the history alone until the allocation is read", () => {
    expect(allocationSeries([], allocation(null, 40, 0, null), NOW)).toEqual([]);
    expect(allocationSeries([allocation("2026-11-23T09:00:00Z", 40, 16, 3)], undefined, NOW)).toHaveLength(1);
  });

  it("never draws the present before the newest rebalance (a browser clock behind the server's)", () => {
    const history = [allocation("2026-11-23T10:05:00Z", 40, 16, null)];
    const points = allocationSeries(history, allocation("2026-11-23T10:05:00Z", 40, 16, 12), NOW);
    expect(points.map((p) => p.time)).toEqual([new Date("2026-11-23T10:05:00Z"), new Date("2026-11-23T10:05:00Z")]);
  });
});
