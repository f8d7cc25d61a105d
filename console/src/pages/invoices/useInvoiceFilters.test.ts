import { describe, expect, it } from "vitest";
import { issuedBetween } from "./useInvoiceFilters";

describe("invoice period", () => {
  it("takes both days whole, in UTC: to is the start of the day after", () => {
    expect(issuedBetween({ from: "2026-11-01", to: "2026-11-30" })).toEqual({
      from: "2026-11-01T00:00:00Z",
      to: "2026-12-01T00:00:00Z",
    });
    expect(issuedBetween({ from: "", to: "2026-12-31" })).toEqual({ from: undefined, to: "2027-01-01T00:00:00Z" });
  });

  it("leaves out what is not a day", () => {
    expect(issuedBetween({ from: "2026-13-45", to: "soon" })).toEqual({ from: undefined, to: undefined });
  });
});
