import { describe, expect, it } from "vitest";
import { buildStoredSet, isFreshFor, markedRevoked, parseStore, type StoredTokenSet } from "../../src/store/token-store.js";

const NOW = Date.parse("2026-11-30T08:00:00Z");
const SET: StoredTokenSet = {
  version: 1,
  access_token: "at",
  token_type: "Bearer",
  expires_at: "2026-11-30T09:00:00.000Z",
  refresh_token: "rt",
  token_endpoint: "https://id.example.com/token",
  client_id: "app",
  saved_at: "2026-11-30T07:59:00.000Z",
};

describe("revoked_at in the token store", () => {
  it("a store written before the field existed reads as before: not revoked, fresh", () => {
    const old = parseStore(JSON.stringify(SET), "/s.json");
    expect(old.revoked_at).toBeUndefined();
    expect(isFreshFor(old, NOW, 60_000)).toBe(true);
  });
  it("a revoked set is never fresh, however long its access token would live", () => {
    const revoked = markedRevoked(SET, NOW);
    expect(revoked.revoked_at).toBe("2026-11-30T08:00:00.000Z");
    expect(isFreshFor(parseStore(JSON.stringify(revoked), "/s.json"), NOW, 0)).toBe(false);
  });
  it("a revoked_at that is not a date makes the store unusable, naming the field", () => {
    expect(() => parseStore(JSON.stringify({ ...SET, revoked_at: "yesterday" }), "/s.json")).toThrow(/"revoked_at" is not a date/);
  });
  it("new tokens replace a revoked set without carrying its dead refresh token over", () => {
    const next = buildStoredSet({ access_token: "at2", token_type: "Bearer" }, { tokenEndpoint: SET.token_endpoint, clientId: "app" }, NOW, markedRevoked(SET, NOW));
    expect(next.revoked_at).toBeUndefined();
    expect(next.refresh_token).toBeUndefined();
    // Not revoked: the old refresh token stays, as RFC 6749 §6 allows.
    expect(buildStoredSet({ access_token: "at2", token_type: "Bearer" }, { tokenEndpoint: SET.token_endpoint, clientId: "app" }, NOW, SET).refresh_token).toBe("rt");
  });
});
