import { describe, expect, it } from "vitest";
import { fieldsOf, problems, registration } from "./idTokenForm";

describe("id token form", () => {
  it("refuses what the API refuses", () => {
    expect(problems(fieldsOf(null))).toEqual({ idToken: "1 to 36 characters" });
    expect(problems({ ...fieldsOf(null), idToken: "x".repeat(37), parentId: "p".repeat(37) })).toEqual({
      idToken: "1 to 36 characters",
      parentId: "At most 36 characters",
    });
  });

  it("sends every field, empty ones as null, the expiry as an instant", () => {
    const fields = { ...fieldsOf(null), idToken: "CARD-1", parentId: " FLEET-1 ", expiry: "2027-12-31T23:59" };

    expect(registration(fields)).toEqual({
      status: "Accepted",
      type: null,
      parentId: "FLEET-1",
      tariffId: null,
      expiry: new Date("2027-12-31T23:59").toISOString(),
    });
  });

  it("edits a token as the API gave it, its expiry in local time", () => {
    const expiry = new Date(2027, 11, 31, 23, 59).toISOString();
    const token = { idToken: "CARD-1", status: "Blocked" as const, expiry, parentId: null, type: "ISO14443", tariffId: "night" };

    expect(fieldsOf(token)).toEqual({
      idToken: "CARD-1",
      status: "Blocked",
      type: "ISO14443",
      parentId: "",
      tariffId: "night",
      expiry: "2027-12-31T23:59",
    });
  });
});
