import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { computeChallenge, createPkce, generateVerifier, isValidVerifier, verifierMatchesChallenge } from "../../src/oauth/pkce.js";

describe("PKCE (RFC 7636)", () => {
  it("reproduces RFC 7636 Appendix B: the octets, the verifier and the S256 challenge", () => {
    const octets = Uint8Array.from([116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121]);
    const asked: number[] = [];
    const verifier = generateVerifier((n) => (asked.push(n), octets));
    expect(asked).toEqual([32]);
    expect(verifier).toBe("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    expect(computeChallenge(verifier, "S256")).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  });

  it("a fresh S256 pair: 43 characters of [A-Za-z0-9-._~], the challenge is BASE64URL(SHA256(verifier)), different each time", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const pkce = createPkce("S256", (n) => randomBytes(n));
      expect(pkce.verifier).toMatch(/^[A-Za-z0-9\-._~]{43}$/);
      expect(isValidVerifier(pkce.verifier!)).toBe(true);
      expect(pkce.challenge).toBe(createHash("sha256").update(pkce.verifier!).digest("base64url"));
      expect(pkce.challenge).not.toContain("=");
      seen.add(pkce.verifier!);
    }
    expect(seen.size).toBe(50);
  });

  it("plain uses the verifier as the challenge; none has neither (never a silent fallback)", () => {
    const plain = createPkce("plain", (n) => randomBytes(n));
    expect(plain.challenge).toBe(plain.verifier);
    expect(createPkce("none", () => {
      throw new Error("none must not draw random bytes");
    })).toEqual({ method: "none" });
  });

  it("checks a verifier against a challenge the way the server will", () => {
    const pkce = createPkce("S256", (n) => randomBytes(n));
    expect(verifierMatchesChallenge(pkce.verifier, pkce.challenge, "S256")).toBe(true);
    expect(verifierMatchesChallenge(`${pkce.verifier}x`, pkce.challenge, "S256")).toBe(false);
    expect(verifierMatchesChallenge(pkce.verifier, pkce.challenge, "plain")).toBe(false);
    expect(verifierMatchesChallenge(undefined, undefined, "none")).toBe(true);
    expect(isValidVerifier("short")).toBe(false);
    expect(isValidVerifier("a".repeat(129))).toBe(false);
    expect(isValidVerifier(`${"a".repeat(42)}+`)).toBe(false);
  });
});
