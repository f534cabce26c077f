import { describe, expect, it } from "vitest";
import { OAuthServerError, ProtocolError } from "../../src/errors/cli-error.js";
import type { HttpExchange } from "../../src/http/types.js";
import { recordedExchange, thrown } from "../support/exchange.js";
import { parseTokenResponse } from "../../src/oauth/token-response.js";

const NOW = Date.parse("2026-01-01T00:00:00Z");

function exchange(status: number, body: string, headers: Record<string, string> = { "content-type": "application/json" }): HttpExchange {
  return recordedExchange("https://as.example/token", status, body, { headers, startedAt: NOW });
}

describe("parseTokenResponse: success (RFC 6749 §5.1)", () => {
  it("keeps RFC names, computes expires_at and keeps unknown fields as sent", () => {
    const { tokens, notes } = parseTokenResponse(exchange(200, JSON.stringify({ access_token: "at", token_type: "Bearer", expires_in: 3600, refresh_token: "rt", scope: "a b", ext_expires_in: 7200, nested: { x: 1 } })), NOW);
    expect(tokens).toMatchObject({ access_token: "at", token_type: "Bearer", expires_in: 3600, refresh_token: "rt", scope: "a b", ext_expires_in: 7200, nested: { x: 1 } });
    expect(tokens.expires_at).toBe("2026-01-01T01:00:00.000Z");
    expect(notes).toEqual([]);
  });

  it("accepts expires_in as a string (Microsoft) and token_type in any case", () => {
    const { tokens } = parseTokenResponse(exchange(200, JSON.stringify({ access_token: "at", token_type: "bearer", expires_in: "3599" })), NOW);
    expect(tokens.expires_in).toBe(3599);
    expect(tokens.token_type).toBe("bearer");
  });

  it("normalises seed 001's legacy envelope and says so", () => {
    const legacy = { success: true, data: { access_token: "at", token_type: "bearer", refresh_token: "rt", ttl: "3600", issued_at: "2026-01-01T00:00:00Z", expires_at: "2026-01-01T01:00:00Z" } };
    const { tokens, notes } = parseTokenResponse(exchange(200, JSON.stringify(legacy)), NOW);
    expect(tokens).toMatchObject({ access_token: "at", token_type: "bearer", refresh_token: "rt", expires_in: 3600, issued_at: "2026-01-01T00:00:00Z" });
    expect(tokens.expires_at).toBe("2026-01-01T01:00:00.000Z");
    expect(notes.join()).toMatch(/deprecated legacy format/);
  });

  it("reads a form-encoded success (GitHub without Accept: application/json)", () => {
    const { tokens } = parseTokenResponse(exchange(200, "access_token=gho_x&scope=repo&token_type=bearer", { "content-type": "application/x-www-form-urlencoded" }), NOW);
    expect(tokens).toMatchObject({ access_token: "gho_x", scope: "repo", token_type: "bearer" });
  });
});

describe("parseTokenResponse: protocol violations name the field", () => {
  it.each([
    [{ token_type: "Bearer" }, /"access_token" is missing/],
    [{ access_token: "at" }, /"token_type" is missing/],
    [{ access_token: 42, token_type: "Bearer" }, /"access_token" must be a non-empty string/],
    [{ access_token: "at", token_type: "Bearer", expires_in: "soon" }, /"expires_in" must be a number of seconds, got "soon"/],
    [{ access_token: "at", token_type: "Bearer", refresh_token: 1 }, /"refresh_token" must be a string/],
  ])("%j", (body, message) => {
    const error = thrown(() => parseTokenResponse(exchange(200, JSON.stringify(body)), NOW));
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as Error).message).toMatch(message);
  });

  it("an HTML 502 page is a protocol error that says what it was", () => {
    const error = thrown(() => parseTokenResponse(exchange(502, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", { "content-type": "text/html" }), NOW));
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as Error).message).toMatch(/HTTP 502.*HTML page titled "502 Bad Gateway"/);
  });

  it("a redirect is a protocol error with the location", () => {
    const error = thrown(() => parseTokenResponse(exchange(302, "", { location: "https://login.example/" }), NOW));
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as Error).message).toMatch(/redirected to https:\/\/login.example\//);
  });
});

describe("parseTokenResponse: errors (RFC 6749 §5.2 and provider shapes)", () => {
  it("reads error_description as a string, with error_uri and request id", () => {
    const error = thrown(() =>
      parseTokenResponse(exchange(400, JSON.stringify({ error: "invalid_grant", error_description: "Code not valid", error_uri: "https://docs/x" }), { "content-type": "application/json", "x-request-id": "req-1" }), NOW),
    ) as OAuthServerError;
    expect(error).toBeInstanceOf(OAuthServerError);
    expect(error.report).toMatchObject({ format: "rfc6749", error: "invalid_grant", error_description: "Code not valid", error_uri: "https://docs/x" });
    expect(error.report.http).toMatchObject({ status: 400, contentType: "application/json", requestIds: { "x-request-id": "req-1" } });
  });

  it("reads error_description as an array of strings (seed 001)", () => {
    const error = thrown(() => parseTokenResponse(exchange(400, JSON.stringify({ error: "invalid_request", error_description: ["client_id is missing", "grant_type is missing"] })), NOW)) as OAuthServerError;
    expect(error.report.error_description).toBe("client_id is missing; grant_type is missing");
    expect(error.report.descriptions).toEqual(["client_id is missing", "grant_type is missing"]);
  });

  it("reads seed 001's legacy error envelope", () => {
    const body = { success: false, errorMessage: "Missing required params", errorDetails: ["client_id", "redirect_uri"], errorCode: "invalid_request" };
    const error = thrown(() => parseTokenResponse(exchange(400, JSON.stringify(body)), NOW)) as OAuthServerError;
    // One reader with decode-error: error_description joins errorMessage and errorDetails; descriptions is the array as sent.
    expect(error.report).toMatchObject({ format: "legacy-envelope", error: "invalid_request", error_description: "Missing required params; client_id; redirect_uri", descriptions: ["client_id", "redirect_uri"] });
  });

  it("reads seed 000's SDK exception shape and an error sent with status 200 (GitHub does this)", () => {
    const sdk = thrown(() => parseTokenResponse(exchange(400, JSON.stringify({ ErrorCode: "invalid_scope", ErrorDescription: "The requested scope is invalid, unknown, or malformed." })), NOW)) as OAuthServerError;
    expect(sdk.report).toMatchObject({ format: "sdk-exception", error: "invalid_scope" });
    const github = thrown(() => parseTokenResponse(exchange(200, "error=bad_verification_code&error_description=The+code+passed+is+incorrect+or+expired.", { "content-type": "application/x-www-form-urlencoded" }), NOW)) as OAuthServerError;
    expect(github.report).toMatchObject({ error: "bad_verification_code", error_description: "The code passed is incorrect or expired." });
  });

  it("pulls AADSTS codes and trace ids out of an Entra body", () => {
    const body = { error: "invalid_grant", error_description: "AADSTS54005: OAuth2 Authorization code was already redeemed.", error_codes: [54005], trace_id: "t-1", correlation_id: "c-1" };
    const error = thrown(() => parseTokenResponse(exchange(400, JSON.stringify(body)), NOW)) as OAuthServerError;
    expect(error.report.providerCodes).toEqual(["AADSTS54005"]);
    expect(error.report.http?.requestIds).toMatchObject({ trace_id: "t-1", correlation_id: "c-1" });
  });
});
