import type { SiteAllocation } from "../../api/types";

/** One point of a site's chart: the limit, the sum allocated and the sum measured (amps per phase). */
export interface AllocationPoint {
  time: Date;
  limitAmps: number;
  allocatedAmps: number;
  /** Null where no charger of the site reported a current. */
  measuredAmps: number | null;
}

function point(allocation: SiteAllocation, time: Date): AllocationPoint {
  return {
    time,
    limitAmps: allocation.limitInForce.amps,
    allocatedAmps: allocation.totals.allocatedAmps,
    measuredAmps: allocation.totals.measuredAmps,
  };
}

/**
 * The chart's points, oldest first: each past allocation at the time its rebalance planned it (the history
 * comes newest first), then the allocation in force at `now` (its limit now, its currents measured now), so the
 * lines reach the present. Without either, no points.
 */
export function allocationSeries(history: SiteAllocation[], current: SiteAllocation | undefined, now: Date): AllocationPoint[] {
  const past = history
    .filter((allocation) => allocation.computedAt !== null)
    .map((allocation) => point(allocation, new Date(allocation.computedAt ?? "")))
    .sort((a, b) => a.time.getTime() - b.time.getTime());
  if (current === undefined || (current.computedAt === null && past.length === 0)) return past;
  const latest = past.at(-1)?.time;
  return [...past, point(current, latest !== undefined && latest > now ? latest : now)];
}
