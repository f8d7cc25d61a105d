import { describe, expect, it } from "vitest";
import { challengeFor, randomString } from "./pkce";

describe("PKCE", () => {
  it("derives the S256 challenge of RFC 7636's example", async () => {
    expect(await challengeFor("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  });

  it("makes URL-safe random strings of 43 to 128 characters for a verifier", () => {
    const verifier = randomString(48);
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(randomString(48)).not.toBe(verifier);
  });
});
