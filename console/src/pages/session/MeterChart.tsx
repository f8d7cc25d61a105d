import { Box } from "@mui/material";
import { LineChart } from "@mui/x-charts/LineChart";
import { EmptyState } from "../../components/states";
import type { MeterPoint } from "./meterSeries";

const timeOfDay = new Intl.DateTimeFormat(undefined, { timeStyle: "medium" });

/** Energy delivered (kWh, left axis) and power (kW, right axis) over the session. */
export function MeterChart({ points }: { points: MeterPoint[] }) {
  if (points.length === 0) {
    return <EmptyState title="No meter values yet" hint="The chart grows as the charger sends meter values." />;
  }
  const hasPower = points.some((point) => point.powerKw !== null);
  return (
    // The chart's drawing says nothing to a screen reader (or a test): the figure names what it shows.
    <Box role="figure" aria-label={`Energy and power, ${points.length} points`}>
      <LineChart
        height={340}
        dataset={points.map((point) => ({ ...point, time: point.time.getTime() }))}
        xAxis={[{ dataKey: "time", scaleType: "time", valueFormatter: (value: number) => timeOfDay.format(value) }]}
        yAxis={[
          { id: "energy", label: "kWh", position: "left", min: 0, width: 64 },
          ...(hasPower ? [{ id: "power", label: "kW", position: "right" as const, min: 0, width: 64 }] : []),
        ]}
        series={[
          { dataKey: "energyKwh", label: "Energy (kWh)", yAxisId: "energy", showMark: false, connectNulls: true },
          ...(hasPower
            ? [{ dataKey: "powerKw", label: "Power (kW)", yAxisId: "power", showMark: false, connectNulls: true }]
            : []),
        ]}
      />
    </Box>
  );
}
