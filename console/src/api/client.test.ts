import { describe, expect, it } from "vitest";
import { withQuery } from "./client";

describe("withQuery", () => {
  it("keeps the given parameters, encoded, and drops empty ones", () => {
    expect(withQuery("/transactions", { chargerId: "CP 1/2", status: "", limit: 50, nextToken: null })).toBe(
      "/transactions?chargerId=CP+1%2F2&limit=50",
    );
    expect(withQuery("/chargers", {})).toBe("/chargers");
  });
});
