import { describe, expect, it } from "vitest";
import { formatPercent } from "../../format";
import { compareDecimals, fieldsOf, problems, tariffBody } from "./tariffForm";

describe("tariff form", () => {
  it("refuses what the API refuses, field by field", () => {
    const fields = { ...fieldsOf(null), tariffId: "", currency: "eur", pricePerKwh: "0,35", sessionFee: "-1", taxRate: "1e-2" };

    expect(problems(fields)).toEqual({
      tariffId: "1 to 64 characters",
      currency: "Three capital letters (ISO 4217), e.g. EUR",
      pricePerKwh: "A number like 0.35: digits, at most 8 after the point",
      sessionFee: "A number like 0.35: digits, at most 8 after the point",
      taxRate: "A number like 0.35: digits, at most 8 after the point",
    });
    expect(problems({ ...fieldsOf(null, "x"), pricePerKwh: "0.123456789" })).toHaveProperty("pricePerKwh");
    expect(problems({ ...fieldsOf(null, "x"), pricePerKwh: "1234567890123" })).toHaveProperty("pricePerKwh");
  });

  it("accepts a full tariff and sends empty prices as absent", () => {
    const fields = { ...fieldsOf(null, "night"), pricePerKwh: " 0.25 ", minPrice: "1", maxPrice: "1.00", taxRate: "0.19" };

    expect(problems(fields)).toEqual({});
    expect(tariffBody(fields)).toEqual({
      currency: "EUR",
      displayText: null,
      pricePerKwh: "0.25",
      pricePerMinute: null,
      sessionFee: null,
      idleFeePerMinute: null,
      idleGraceMinutes: null,
      minPrice: "1",
      maxPrice: "1.00",
      taxRate: "0.19",
    });
  });

  it("wants the maximum price at least the minimum, compared exactly", () => {
    const bounded = (minPrice: string, maxPrice: string) => problems({ ...fieldsOf(null, "x"), minPrice, maxPrice });

    expect(bounded("10", "9.99999999")).toEqual({ maxPrice: "At least the minimum price" });
    expect(bounded("999999999999.00000001", "999999999999.00000002")).toEqual({});
    expect(compareDecimals("2", "10")).toBe(-1);
    expect(compareDecimals("010.50", "10.5")).toBe(0);
    expect(compareDecimals("0.3", "0.25")).toBe(1);
  });

  it("shows a tax fraction as a percentage without binary rounding", () => {
    expect(formatPercent("0.19")).toBe("19 %");
    expect(formatPercent("0.07")).toBe("7 %");
    expect(formatPercent("0.0775")).toBe("7.75 %");
    expect(formatPercent("0")).toBe("0 %");
    expect(formatPercent("1.5")).toBe("150 %");
    expect(formatPercent("abc")).toBeNull();
  });

  it("edits a tariff as the API gave it", () => {
    const fields = fieldsOf({
      tariffId: "default",
      currency: "EUR",
      pricePerKwh: "0.35",
      pricePerMinute: "0",
      sessionFee: "0.50",
      idleFeePerMinute: "0",
      idleGraceMinutes: "0",
      minPrice: null,
      maxPrice: null,
      taxRate: "0.19",
      displayText: null,
    });

    expect(fields).toMatchObject({ tariffId: "default", pricePerKwh: "0.35", minPrice: "", displayText: "" });
  });
});
