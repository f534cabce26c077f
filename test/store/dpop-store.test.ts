import { describe, expect, it } from "vitest";
import { buildStoredSet, parseStore } from "../../src/store/token-store.js";

const BASE = { version: 1, access_token: "at", token_type: "Bearer", token_endpoint: "https://as.example/token", saved_at: "2026-01-01T00:00:00.000Z" };

describe("the store's DPoP key (dpop_jwk)", () => {
  it("a store written before DPoP, without dpop_jwk, is read as before", () => {
    expect(parseStore(JSON.stringify(BASE), "/s.json")).toEqual(BASE);
  });

  it("a stored private JWK is kept with DPoP-bound tokens, and read back", () => {
    const jwk = { kty: "EC", crv: "P-256", x: "x", y: "y", d: "d" };
    const set = buildStoredSet({ access_token: "at", token_type: "DPoP" }, { tokenEndpoint: "https://as.example/token", dpopJwk: jwk }, 0);
    expect(set.dpop_jwk).toEqual(jwk);
    expect(parseStore(JSON.stringify(set), "/s.json").dpop_jwk).toEqual(jwk);
  });

  it("bearer tokens store no key", () => {
    expect(buildStoredSet({ access_token: "at", token_type: "Bearer" }, { tokenEndpoint: "https://as.example/token" }, 0)).not.toHaveProperty("dpop_jwk");
  });

  it.each([["a string", "k"], ["an array", []], ["an object without kty", { d: "d" }], ["a JWK with a number", { kty: "EC", x: 1 }]])("a dpop_jwk that is %s makes the store unusable, naming the field", (_what, value) => {
    expect(() => parseStore(JSON.stringify({ ...BASE, dpop_jwk: value }), "/s.json")).toThrow(/the token store \/s\.json is unusable: "dpop_jwk" is not a JWK object/);
  });
});
