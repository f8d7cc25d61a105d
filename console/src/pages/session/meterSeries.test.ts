import { describe, expect, it } from "vitest";
import type { MeterValue } from "../../api/types";
import { meterSeries } from "./meterSeries";

const STARTED = "2026-01-01T10:00:00Z";

describe("meterSeries", () => {
  it("reads 1.6 string values in kWh and W, energy counted from meterStart, a first point at the start", () => {
    const values: MeterValue[] = [
      {
        timestamp: "2026-01-01T10:01:00Z",
        sampledValue: [
          { value: "10.5", measurand: "Energy.Active.Import.Register", unit: "kWh" },
          { value: "7000", measurand: "Power.Active.Import", unit: "W" },
        ],
      },
    ];
    expect(meterSeries(values, 10_000, STARTED)).toEqual([
      { time: new Date(STARTED), energyKwh: 0, powerKw: null },
      { time: new Date("2026-01-01T10:01:00Z"), energyKwh: 0.5, powerKw: 7 },
    ]);
  });

  it("reads 2.0.1 numbers with unitOfMeasure and its power-of-ten multiplier", () => {
    const values: MeterValue[] = [
      {
        timestamp: STARTED,
        sampledValue: [{ value: 1000, measurand: "Energy.Active.Import.Register", unitOfMeasure: { unit: "Wh" } }],
      },
      {
        timestamp: "2026-01-01T10:02:00Z",
        sampledValue: [
          { value: 3, unitOfMeasure: { unit: "Wh", multiplier: 3 } },
          { value: 11, measurand: "Power.Active.Import", unitOfMeasure: { unit: "kW" } },
        ],
      },
    ];
    expect(meterSeries(values, 1000, STARTED).map((point) => [point.energyKwh, point.powerKw])).toEqual([
      [0, null],
      [2, 11],
    ]);
  });

  it("takes the total over all phases, skips values out of range, and sorts by time", () => {
    const values: MeterValue[] = [
      {
        timestamp: "2026-01-01T10:05:00Z",
        sampledValue: [
          { value: "99999", measurand: "Energy.Active.Import.Register", unit: "Wh" },
          { value: "1500", measurand: "Energy.Active.Import.Register", unit: "Wh", phase: "L1" },
          { value: "2000", measurand: "Energy.Active.Import.Register", unit: "Wh" },
        ],
        outOfRange: [0],
      },
      { timestamp: "2026-01-01T10:01:00Z", sampledValue: [{ value: "1200", unit: "Wh" }] },
    ];
    expect(meterSeries(values, 1000, STARTED).map((point) => point.energyKwh)).toEqual([0, 0.2, 1]);
  });

  it("counts from the first reading when the start register is unknown, and adds no start point", () => {
    const values: MeterValue[] = [
      { timestamp: "2026-01-01T10:01:00Z", sampledValue: [{ value: "500", unit: "Wh" }] },
      { timestamp: "2026-01-01T10:02:00Z", sampledValue: [{ value: "800", unit: "Wh" }] },
    ];
    expect(meterSeries(values, null, STARTED).map((point) => point.energyKwh)).toEqual([0, 0.3]);
  });
});
