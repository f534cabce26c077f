import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findGrantUse, recordCodeArrival, recordSpentGrant, stateDir } from "../../../src/commands/shared/used-grants.js";
import { makeTempDir } from "../../support/temp.js";

const ENDPOINT = "http://127.0.0.1:9/token";
function context(now = 1_800_000_000_000) {
  const home = makeTempDir("grants");
  return { env: {}, homedir: home, now: () => now };
}

describe("the used-grants record keeps sent and redeemed apart", () => {
  it("a refused code is recorded as sent and refused, a redeemed one as tokens", () => {
    const ctx = context();
    recordSpentGrant(ctx, { kind: "code", value: "c1", endpoint: ENDPOINT }, { receivedAt: ctx.now(), outcome: { kind: "failed", error: { report: { error: "invalid_grant" } } } });
    recordSpentGrant(ctx, { kind: "code", value: "c2", endpoint: ENDPOINT }, { receivedAt: ctx.now(), outcome: { kind: "tokens", tokens: {} } });
    expect(findGrantUse(ctx, "code", ENDPOINT, "c1")).toEqual({ sent: { at: ctx.now(), outcome: "invalid_grant" } });
    expect(findGrantUse(ctx, "code", ENDPOINT, "c2")).toEqual({ sent: { at: ctx.now(), outcome: "tokens" } });
    expect(findGrantUse(ctx, "code", ENDPOINT, "c3")).toBeUndefined();
  });

  it("a --no-exchange code's arrival is kept when it is later sent, and the value is never stored", () => {
    const ctx = context();
    const arrival = { requestedAt: ctx.now() - 20_000, arrivedAt: ctx.now() - 5000, via: "listener" as const, redirectUri: "http://127.0.0.1:8123/callback" };
    recordCodeArrival(ctx, ENDPOINT, "the-code-value", arrival);
    expect(findGrantUse(ctx, "code", ENDPOINT, "the-code-value")).toEqual({ arrival });
    recordSpentGrant(ctx, { kind: "code", value: "the-code-value", endpoint: ENDPOINT }, { receivedAt: ctx.now(), outcome: { kind: "failed", error: { report: { error: "invalid_grant" } } } });
    expect(findGrantUse(ctx, "code", ENDPOINT, "the-code-value")).toEqual({ sent: { at: ctx.now(), outcome: "invalid_grant" }, arrival });
    expect(readFileSync(join(stateDir(ctx), "used-grants.json"), "utf8")).not.toContain("the-code-value");
  });

  it("a record written before arrivals existed still reads", () => {
    const ctx = context();
    mkdirSync(stateDir(ctx), { recursive: true });
    recordSpentGrant(ctx, { kind: "refresh_token", value: "r1", endpoint: ENDPOINT }, { receivedAt: ctx.now(), outcome: { kind: "tokens", tokens: { refresh_token: "r2" } } });
    const file = join(stateDir(ctx), "used-grants.json");
    const [key] = Object.keys(JSON.parse(readFileSync(file, "utf8")) as object);
    writeFileSync(file, JSON.stringify({ [key!]: { kind: "refresh_token", at: ctx.now(), outcome: "tokens", rotated: true }, junk: { kind: "code", at: "x" } }));
    expect(findGrantUse(ctx, "refresh_token", ENDPOINT, "r1")).toEqual({ sent: { at: ctx.now(), outcome: "tokens", rotated: true } });
  });
});
