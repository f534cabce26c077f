import { describe, expect, it } from "vitest";
import { ProtocolError } from "../../src/errors/cli-error.js";
import { validateCallback } from "../../src/oauth/callback.js";

const ISSUER = "https://id.example.com";
const expected = { state: "the-state", issuer: ISSUER, issRequired: false };
const q = (query: string) => new URLSearchParams(query);

describe("validateCallback", () => {
  it("accepts a code with the right state and iss", () => {
    expect(validateCallback(q(`code=abc&state=the-state&iss=${encodeURIComponent(ISSUER)}`), expected)).toEqual({ kind: "code", code: "abc", state: "the-state", iss: ISSUER, issUnchecked: false });
  });

  it("wrong or missing state is not ours (RFC 6749 §10.12): even an error cannot end the flow without it", () => {
    expect(validateCallback(q("code=abc"), expected)).toMatchObject({ kind: "not-ours", reason: "the redirect carries no state" });
    expect(validateCallback(q("code=abc&state="), expected)).toMatchObject({ kind: "not-ours" });
    expect(validateCallback(q("code=abc&state=the-statf"), expected)).toMatchObject({ kind: "not-ours", reason: "the redirect's state is not the one this run sent" });
    expect(validateCallback(q("error=access_denied&state=other"), expected)).toMatchObject({ kind: "not-ours" });
  });

  it("a foreign iss throws a ProtocolError explaining mix-up, and the error in it is not trusted (RFC 9207 §2.4)", () => {
    const attempt = () => validateCallback(q("error=access_denied&state=the-state&iss=https%3A%2F%2Fevil.example"), expected);
    expect(attempt).toThrow(ProtocolError);
    try {
      attempt();
    } catch (error) {
      const e = error as ProtocolError;
      expect(e.exitCode).toBe(4);
      expect(e.message).toContain('"https://evil.example"');
      expect(e.details.join(" ")).toMatch(/mix-up attack/);
      expect(e.details.join(" ")).toContain("error=access_denied; that is not trusted");
    }
  });

  it("iss is compared as a simple string: a trailing slash is a different issuer", () => {
    expect(() => validateCallback(q(`code=abc&state=the-state&iss=${encodeURIComponent(`${ISSUER}/`)}`), expected)).toThrow(/came from issuer/);
  });

  it("a missing iss is refused when the metadata promises it, accepted otherwise", () => {
    expect(() => validateCallback(q("code=abc&state=the-state"), { ...expected, issRequired: true })).toThrow(/no "iss"/);
    expect(validateCallback(q("code=abc&state=the-state"), expected)).toMatchObject({ kind: "code", code: "abc" });
  });

  it("without a known issuer an iss cannot be checked and is flagged so", () => {
    expect(validateCallback(q("code=abc&state=the-state&iss=x"), { state: "the-state", issRequired: false })).toMatchObject({ kind: "code", issUnchecked: true });
  });

  it("an error response decodes + as a space (seed 003) and keeps error_uri", () => {
    const outcome = validateCallback(q(`error=unsupported_response_type&error_description=response_type+must+be+code&error_uri=https%3A%2F%2Fdocs&state=the-state&iss=${encodeURIComponent(ISSUER)}`), expected);
    expect(outcome).toMatchObject({ kind: "error", report: { error: "unsupported_response_type", error_description: "response_type must be code", error_uri: "https://docs", state: "the-state" } });
  });

  it("a response with neither code nor error is a protocol error", () => {
    expect(() => validateCallback(q("state=the-state&foo=1"), expected)).toThrow(/neither code nor error/);
  });
});
