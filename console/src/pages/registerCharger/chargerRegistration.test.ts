import { describe, expect, it } from "vitest";
import { chargerIdProblem, generatePassword, ocppUrl, passwordProblem } from "./chargerRegistration";

describe("registering a charger", () => {
  it("takes ids as OCPP does", () => {
    expect(chargerIdProblem("CP-1")).toBeNull();
    expect(chargerIdProblem("Ladesäule 7")).toBeNull();
    expect(chargerIdProblem("")).toBe("1 to 48 characters");
    expect(chargerIdProblem("x".repeat(49))).toBe("1 to 48 characters");
    expect(chargerIdProblem("a/b")).toMatch(/No '\/'/);
    expect(chargerIdProblem("tab\there")).toBe("Printable characters only");
  });

  it("takes passwords the API takes", () => {
    expect(passwordProblem("short")).toMatch(/8 to 40/);
    expect(passwordProblem("x".repeat(41))).toMatch(/8 to 40/);
    expect(passwordProblem("x".repeat(16))).toBeNull();
  });

  it("generates 32 unambiguous letters and digits, each drawn evenly", () => {
    expect(generatePassword()).toMatch(/^[A-HJ-NP-Za-km-z2-9]{32}$/);
    expect(generatePassword()).not.toBe(generatePassword());
    // Bytes of 228 and above (4 x 57) are passed over rather than folded onto the first letters.
    const bytes = [255, 228, 0, 56];
    const random = (buffer: Uint8Array<ArrayBuffer>) => buffer.map(() => bytes.shift() ?? 1);
    expect(generatePassword(random)).toBe(`A9${"B".repeat(30)}`);
  });

  it("says where to connect: the configured OCPP URL, else this host with ws or wss", () => {
    const local = { protocol: "http:", host: "127.0.0.1:9000" };
    expect(ocppUrl("CP-1", undefined, local)).toBe("ws://127.0.0.1:9000/ocpp/CP-1");
    expect(ocppUrl("CP 1/#", undefined, { protocol: "https:", host: "console.example.com" })).toBe(
      "wss://console.example.com/ocpp/CP%201%2F%23",
    );
    expect(ocppUrl("CP-1", "wss://d123.cloudfront.net/ocpp/", local)).toBe("wss://d123.cloudfront.net/ocpp/CP-1");
    expect(ocppUrl("CP-1", "wss://d123.cloudfront.net/ocpp", local)).toBe("wss://d123.cloudfront.net/ocpp/CP-1");
  });
});
