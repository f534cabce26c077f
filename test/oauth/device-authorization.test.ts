import { describe, expect, it } from "vitest";
import { OAuthServerError, ProtocolError } from "../../src/errors/cli-error.js";
import type { HttpExchange } from "../../src/http/types.js";
import { recordedExchange, thrown } from "../support/exchange.js";
import { buildDeviceAuthorizationRequest, parseDeviceAuthorizationResponse, pollVerdict } from "../../src/oauth/device-authorization.js";

function exchange(status: number, body: unknown): HttpExchange {
  return recordedExchange("https://as.example/device/code", status, body);
}

const GOOD = { device_code: "dc", user_code: "WDJB-MJHT", verification_uri: "https://as.example/device", verification_uri_complete: "https://as.example/device?user_code=WDJB-MJHT", expires_in: 1800, interval: 5 };

describe("buildDeviceAuthorizationRequest (RFC 8628 §3.1)", () => {
  it("a public client sends client_id and scope, form-encoded, and no grant_type", () => {
    const request = buildDeviceAuthorizationRequest({ endpoint: "https://as.example/device/code", clientId: "tv", authMethod: "none", scope: "openid offline_access" });
    expect(request).toMatchObject({ method: "POST", url: "https://as.example/device/code" });
    expect(request.body).toBe("scope=openid+offline_access&client_id=tv");
  });

  it("a confidential client authenticates as at the token endpoint (HTTP Basic)", () => {
    const request = buildDeviceAuthorizationRequest({ endpoint: "https://as.example/device/code", clientId: "tv", clientSecret: "s3", authMethod: "client_secret_basic" });
    expect(request.headers.Authorization).toBe(`Basic ${Buffer.from("tv:s3").toString("base64")}`);
    expect(request.body).toBe("");
  });
});

describe("parseDeviceAuthorizationResponse (RFC 8628 §3.2)", () => {
  it("keeps the RFC fields and unknown ones", () => {
    const { authorization, notes } = parseDeviceAuthorizationResponse(exchange(200, { ...GOOD, message: "Go to …" }));
    expect(authorization).toMatchObject({ ...GOOD, message: "Go to …" });
    expect(notes).toEqual([]);
  });

  it("interval is optional (the caller defaults to 5 s); a string expires_in is read as a number", () => {
    const { authorization } = parseDeviceAuthorizationResponse(exchange(200, { ...GOOD, interval: undefined, expires_in: "900" }));
    expect(authorization.interval).toBeUndefined();
    expect(authorization.expires_in).toBe(900);
  });

  it("Google's verification_url is read as verification_uri, with a note", () => {
    const { verification_uri: _omit, ...rest } = GOOD;
    const { authorization, notes } = parseDeviceAuthorizationResponse(exchange(200, { ...rest, verification_url: "https://www.google.com/device" }));
    expect(authorization.verification_uri).toBe("https://www.google.com/device");
    expect(notes[0]).toContain("verification_url");
  });

  it.each([
    ["device_code", { device_code: undefined }, '"device_code" is missing'],
    ["user_code", { user_code: 42 }, '"user_code" must be a non-empty string'],
    ["verification_uri", { verification_uri: "javascript:alert(1)" }, '"verification_uri" must be an http(s) URL'],
    ["verification_uri_complete", { verification_uri_complete: 7 }, '"verification_uri_complete" must be a string'],
    ["expires_in", { expires_in: undefined }, '"expires_in" is missing'],
    ["expires_in", { expires_in: -1 }, '"expires_in" must be a positive number'],
    ["interval", { interval: "soon" }, '"interval" must be a number of seconds'],
    ["user_code", { user_code: "AB\u001b]0;pwned\u0007CD" }, '"user_code" must not contain control characters'],
    ["verification_uri", { verification_uri: "https://as.example/\u001b[2Jdevice" }, '"verification_uri" must not contain control characters'],
  ])("names the bad field: %s", (_field, change, message) => {
    const error = thrown(() => parseDeviceAuthorizationResponse(exchange(200, { ...GOOD, ...change })));
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as Error).message).toContain(message);
  });

  it("an OAuth error is the server's error (exit 1), e.g. a client not allowed the grant", () => {
    const error = thrown(() => parseDeviceAuthorizationResponse(exchange(400, { error: "unauthorized_client", error_description: "device_code grant not allowed" })));
    expect(error).toBeInstanceOf(OAuthServerError);
    expect((error as OAuthServerError).report.error).toBe("unauthorized_client");
  });

  it("an HTML error page or a non-object is a protocol error (exit 4)", () => {
    expect(thrown(() => parseDeviceAuthorizationResponse(exchange(502, "<html>bad gateway</html>")))).toBeInstanceOf(ProtocolError);
    expect(thrown(() => parseDeviceAuthorizationResponse(exchange(200, "[1,2]")))).toBeInstanceOf(ProtocolError);
  });
});

describe("pollVerdict (RFC 8628 §3.5)", () => {
  it("only authorization_pending and slow_down keep polling", () => {
    expect(pollVerdict("authorization_pending")).toBe("pending");
    expect(pollVerdict("slow_down")).toBe("slow-down");
    for (const code of ["access_denied", "expired_token", "authorization_expired", "invalid_grant", "invalid_client", "account_locked"]) expect(pollVerdict(code)).toBe("stop");
  });
});
