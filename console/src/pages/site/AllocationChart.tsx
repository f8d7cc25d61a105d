import { Box } from "@mui/material";
import { LineChart } from "@mui/x-charts/LineChart";
import { EmptyState } from "../../components/states";
import type { AllocationPoint } from "./allocationSeries";

const timeOfDay = new Intl.DateTimeFormat(undefined, { dateStyle: "short", timeStyle: "medium" });

/** The site's limit, the current allocated and the current measured over time (amps per phase), as steps. */
export function AllocationChart({ points }: { points: AllocationPoint[] }) {
  if (points.length === 0) {
    return <EmptyState title="No allocation yet" hint="The chart starts with the site's first rebalance, when a session starts." />;
  }
  const hasMeasured = points.some((point) => point.measuredAmps !== null);
  return (
    // The chart's drawing says nothing to a screen reader (or a test): the figure names what it shows.
    <Box role="figure" aria-label={`Limit, allocated and measured current, ${points.length} points`}>
      <LineChart
        height={340}
        // Redrawn at every poll: steps that glide from the old shape to the new would show values never held.
        skipAnimation
        dataset={points.map((point) => ({ ...point, time: point.time.getTime() }))}
        xAxis={[{ dataKey: "time", scaleType: "time", valueFormatter: (value: number) => timeOfDay.format(value) }]}
        yAxis={[{ label: "A per phase", min: 0, width: 64 }]}
        series={[
          { dataKey: "limitAmps", label: "Limit", curve: "stepAfter", showMark: false },
          { dataKey: "allocatedAmps", label: "Allocated", curve: "stepAfter", showMark: false },
          ...(hasMeasured
            ? [{ dataKey: "measuredAmps", label: "Measured", curve: "stepAfter" as const, showMark: true, connectNulls: true }]
            : []),
        ]}
      />
    </Box>
  );
}
