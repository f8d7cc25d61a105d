import type { MeterValue, SampledValue } from "../../api/types";

/** One point of a session's chart: energy delivered so far (kWh) and power (kW), where reported. */
export interface MeterPoint {
  time: Date;
  energyKwh: number | null;
  powerKw: number | null;
}

const ENERGY = "Energy.Active.Import.Register";
const POWER = "Power.Active.Import";

/** The value in base units (Wh, W): 1.6 `unit` ("kWh"), 2.0.1 `unitOfMeasure` (unit and power of ten). */
function baseValue(sample: SampledValue): number | null {
  const value = Number(sample.value);
  if (!Number.isFinite(value)) return null;
  const unit = sample.unitOfMeasure?.unit ?? sample.unit ?? "";
  const multiplier = 10 ** (sample.unitOfMeasure?.multiplier ?? 0);
  return value * multiplier * (unit.startsWith("k") ? 1000 : 1);
}

/** The sample of a measurand over all phases (a per-phase sample is not the total); OCPP's default measurand is energy. */
function total(values: SampledValue[], measurand: string, outOfRange: Set<number>): number | null {
  const index = values.findIndex(
    (sample, i) => (sample.measurand ?? ENERGY) === measurand && sample.phase === undefined && !outOfRange.has(i),
  );
  const sample = index === -1 ? undefined : values[index];
  return sample === undefined ? null : baseValue(sample);
}

/**
 * The chart's points, oldest first: energy delivered since the start register reading (`meterStart`,
 * also the first point, at `startedAt`, when the meter values do not begin there themselves).
 */
export function meterSeries(meterValues: MeterValue[], meterStart: number | null, startedAt: string): MeterPoint[] {
  const points = meterValues.map((meterValue) => {
    const outOfRange = new Set(meterValue.outOfRange ?? []);
    return {
      time: new Date(meterValue.timestamp),
      energyWh: total(meterValue.sampledValue, ENERGY, outOfRange),
      powerW: total(meterValue.sampledValue, POWER, outOfRange),
    };
  });
  const start = meterStart ?? points.find((point) => point.energyWh !== null)?.energyWh ?? null;
  const series = points
    .sort((a, b) => a.time.getTime() - b.time.getTime())
    .map(({ time, energyWh, powerW }) => ({
      time,
      energyKwh: energyWh === null || start === null ? null : (energyWh - start) / 1000,
      powerKw: powerW === null ? null : powerW / 1000,
    }));
  const begin = new Date(startedAt);
  const first = series[0];
  if (meterStart !== null && (first === undefined || first.time > begin)) {
    series.unshift({ time: begin, energyKwh: 0, powerKw: null });
  }
  return series;
}
