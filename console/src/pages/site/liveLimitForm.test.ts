import { describe, expect, it } from "vitest";
import { liveLimitBody, MAX_MINUTES, problems } from "./liveLimitForm";

const SITE = { minChargingCurrentAmps: 6, gridLimitAmps: 63 };

describe("live limit form", () => {
  it("accepts amps within the site's bounds with one decimal and whole minutes", () => {
    expect(problems({ limitAmps: "16.5", minutes: "60" }, SITE)).toEqual({});
    expect(problems({ limitAmps: " 63 ", minutes: String(MAX_MINUTES) }, SITE)).toEqual({});
  });

  it.each([
    ["5.9", "60", "limitAmps"],
    ["63.1", "60", "limitAmps"],
    ["16.55", "60", "limitAmps"],
    ["-16", "60", "limitAmps"],
    ["1e2", "60", "limitAmps"],
    ["", "60", "limitAmps"],
    ["16", "0", "minutes"],
    ["16", "1.5", "minutes"],
    ["16", String(MAX_MINUTES + 1), "minutes"],
  ])("refuses %s A for %s minutes", (limitAmps, minutes, field) => {
    expect(Object.keys(problems({ limitAmps, minutes }, SITE))).toEqual([field]);
  });

  it("sends the amps as written and the end as an instant", () => {
    expect(liveLimitBody({ limitAmps: " 20.5", minutes: "90" }, new Date("2026-11-23T09:00:00Z"))).toEqual({
      limitAmps: "20.5",
      validUntil: "2026-11-23T10:30:00.000Z",
    });
  });
});
