import { describe, expect, it } from "vitest";
import {
  JSON_ONLY_DESCRIPTION, formatLegacyDate, jsonBodyToForm, toLegacyEnvelope, withArrayDescription,
} from "../../src/sandbox/envelope.js";
import { formatAuthority, isLoopbackHost } from "../../src/sandbox/host.js";

describe("sandbox body rewrites (no network)", () => {
  it("jsonBodyToForm: JSON object → form; anything else → seed 003's errors", () => {
    const ok = jsonBodyToForm("application/json; charset=utf-8", Buffer.from('{"grant_type":"x","n":1,"a":["p","q"],"z":null}'));
    expect(ok).toEqual({ ok: true, form: "grant_type=x&n=1&a=p&a=q" });
    const form = jsonBodyToForm("application/x-www-form-urlencoded", Buffer.from("grant_type=x"));
    expect(form).toEqual({ ok: false, status: 415, body: { error: "invalid_request", error_description: JSON_ONLY_DESCRIPTION } });
    expect(jsonBodyToForm("application/json", Buffer.alloc(0))).toMatchObject({ ok: false, status: 400 });
    expect(jsonBodyToForm("application/json", Buffer.from("[1]"))).toMatchObject({ ok: false, status: 400 });
  });

  it("toLegacyEnvelope: seed 001's legacy success and error shapes", () => {
    const now = Date.UTC(2024, 0, 2, 3, 4, 5, 678);
    expect(formatLegacyDate(now)).toBe("2024-01-02T03:04:05Z");
    expect(toLegacyEnvelope(200, { access_token: "a", token_type: "Bearer", expires_in: 60, refresh_token: "r" }, now)).toEqual({
      success: true,
      data: { access_token: "a", token_type: "bearer", refresh_token: "r", ttl: "60", issued_at: "2024-01-02T03:04:05Z", expires_at: "2024-01-02T03:05:05Z" },
    });
    expect(toLegacyEnvelope(400, { error: "invalid_grant", error_description: "grant request is invalid" }, now)).toEqual({
      success: false, errorMessage: "grant request is invalid", errorDetails: ["grant request is invalid"], errorCode: "invalid_grant",
    });
  });

  it("withArrayDescription wraps only a string error_description", () => {
    expect(withArrayDescription({ error: "e", error_description: "d" })).toEqual({ error: "e", error_description: ["d"] });
    expect(withArrayDescription({ access_token: "a" })).toEqual({ access_token: "a" });
  });

  it("isLoopbackHost accepts 127/8, ::1 and localhost only", () => {
    for (const h of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST"]) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ["0.0.0.0", "192.168.1.10", "::", "127.0.0.1.nip.io", "localhost.example", "128.0.0.1", ""]) {
      expect(isLoopbackHost(h), h).toBe(false);
    }
    expect(formatAuthority("::1", 80)).toBe("[::1]:80");
    expect(formatAuthority("127.0.0.1", 80)).toBe("127.0.0.1:80");
  });
});
