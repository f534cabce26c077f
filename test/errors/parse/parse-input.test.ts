import { describe, expect, it } from "vitest";
import { looksLikeErrorCode } from "../../../src/errors/parse/codes.js";
import { parseErrorInput, type ParsedInput } from "../../../src/errors/parse/index.js";
import type { OAuthErrorReport } from "../../../src/errors/types.js";

function one(input: string): OAuthErrorReport {
  const r: ParsedInput = parseErrorInput(input);
  if (r.kind !== "report") throw new Error(`expected one report, got ${JSON.stringify(r)}`);
  return r.report;
}

describe("bare codes", () => {
  it.each(["invalid_grant", "slow_down", "bad_verification_code", "  invalid_client \n"])("reads %j as a code", (input) => {
    const r = one(input);
    expect(r.format).toBe("code");
    expect(r.error).toBe(input.trim());
  });

  it("reads an Entra code and records it as a provider code", () => {
    expect(one("AADSTS70008")).toMatchObject({ format: "code", error: "AADSTS70008", providerCodes: ["AADSTS70008"] });
  });

  it("does not take plain words or HTTP-status words for codes", () => {
    for (const word of ["hello", "Unauthorized", "Forbidden", "error", "12345"]) {
      expect(parseErrorInput(word).kind, word).toBe("unrecognised");
    }
    expect(looksLikeErrorCode("INVALID_ARGUMENT")).toBe(true);
    expect(looksLikeErrorCode("E0000011")).toBe(true);
  });

  it("says why an empty input is unrecognised", () => {
    expect(parseErrorInput("  \n ")).toEqual({ kind: "unrecognised", reason: "the input is empty" });
  });
});

describe("JSON bodies", () => {
  it("reads RFC 6749 §5.2 with a description array (seed 001)", () => {
    const r = one(`{"error":"invalid_request","error_description":["Missing required params","client_id"],"error_uri":"https://example.com/docs/errors"}`);
    expect(r).toMatchObject({
      format: "rfc6749",
      error: "invalid_request",
      error_description: "Missing required params; client_id",
      descriptions: ["Missing required params", "client_id"],
      error_uri: "https://example.com/docs/errors",
      extra: {},
    });
  });

  it("reads the legacy envelope (seed 001)", () => {
    const r = one(`{ "success": false, "errorMessage": "Missing required params", "errorDetails": ["client_id", "redirect_uri"], "errorCode": "invalid_request", "requested_at": 1714550400 }`);
    expect(r).toMatchObject({
      format: "legacy-envelope",
      error: "invalid_request",
      error_description: "Missing required params; client_id; redirect_uri",
      descriptions: ["client_id", "redirect_uri"],
      extra: { requested_at: 1714550400 },
    });
  });

  it("reads the SDK exception with HttpMeta (seed 000)", () => {
    const body = {
      ErrorCode: "invalid_scope",
      ErrorDescription: "The requested scope is invalid, unknown, or malformed.",
      HttpMeta: {
        Request: { Method: "POST", Url: "https://api.example.com/oauth/token" },
        Response: {
          StatusCode: 400,
          Headers: { "Content-Type": ["application/json"], "X-Request-Id": ["5f1c2a9e-77"], Date: ["Wed, 01 May 2024 10:00:00 GMT"] },
        },
      },
    };
    const r = one(JSON.stringify(body, null, 2));
    expect(r).toMatchObject({
      format: "sdk-exception",
      error: "invalid_scope",
      error_description: "The requested scope is invalid, unknown, or malformed.",
      http: { status: 400, contentType: "application/json", date: "Wed, 01 May 2024 10:00:00 GMT", requestIds: { "x-request-id": "5f1c2a9e-77" } },
      extra: { request: { method: "POST", url: "https://api.example.com/oauth/token" } },
    });
  });

  it("reads an SDK exception with camelCase http metadata", () => {
    const r = one(`{"errorCode":"invalid_client","errorDescription":"Client authentication failed","httpMeta":{"response":{"status":401,"headers":{"x-request-id":"abc"}}}}`);
    expect(r).toMatchObject({ format: "sdk-exception", error: "invalid_client", http: { status: 401, requestIds: { "x-request-id": "abc" } } });
  });

  it("reads Slack's envelope", () => {
    expect(one(`{"ok":false,"error":"invalid_code","warning":"missing_charset","response_metadata":{"warnings":["missing_charset"]}}`)).toMatchObject({
      format: "envelope",
      error: "invalid_code",
      extra: { warning: "missing_charset", response_metadata: { warnings: ["missing_charset"] } },
    });
  });

  it('reads {"ErrorCode":…,"Error":…}', () => {
    expect(one(`{"ErrorCode":"invalid_grant","Error":"The authorization code has expired"}`)).toMatchObject({
      format: "envelope",
      error: "invalid_grant",
      error_description: "The authorization code has expired",
    });
  });

  it("reads a Google API nested error", () => {
    const r = one(`{"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED","errors":[{"reason":"authError"}]}}`);
    expect(r).toMatchObject({
      format: "envelope",
      error: "UNAUTHENTICATED",
      error_description: "Request had invalid authentication credentials.",
      http: { status: 401 },
      extra: { "error.errors": [{ reason: "authError" }] },
    });
  });

  it("reads a Microsoft Graph nested error with its request ids", () => {
    const r = one(`{"error":{"code":"InvalidAuthenticationToken","message":"Access token has expired or is not yet valid.","innerError":{"date":"2024-05-01T10:00:00","request-id":"r-1","client-request-id":"c-1"}}}`);
    expect(r).toMatchObject({ error: "InvalidAuthenticationToken", http: { requestIds: { "request-id": "r-1", "client-request-id": "c-1" } } });
  });

  it("reads an Entra body: AADSTS provider code, trace and correlation ids", () => {
    const body = {
      error: "invalid_grant",
      error_description:
        "AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token. Trace ID: 8d9f7b1e-2b44-4e4c-9a55-0d7e2c0b1f00 Correlation ID: 0b7c5a52-3c2e-4f45-8f1a-5a0b7f1f9d11 Timestamp: 2024-05-01 10:00:00Z",
      error_codes: [54005],
      timestamp: "2024-05-01 10:00:00Z",
      trace_id: "8d9f7b1e-2b44-4e4c-9a55-0d7e2c0b1f00",
      correlation_id: "0b7c5a52-3c2e-4f45-8f1a-5a0b7f1f9d11",
      error_uri: "https://login.microsoftonline.com/error?code=54005",
    };
    const r = one(JSON.stringify(body));
    expect(r).toMatchObject({
      format: "rfc6749",
      error: "invalid_grant",
      error_uri: "https://login.microsoftonline.com/error?code=54005",
      providerCodes: ["AADSTS54005"],
      http: { requestIds: { trace_id: body.trace_id, correlation_id: body.correlation_id } },
      extra: { timestamp: "2024-05-01 10:00:00Z", error_codes: [54005] },
    });
    expect(r.error_description).toBe(body.error_description);
  });

  it("reads an Auth0-style body and keeps unknown fields", () => {
    expect(one(`{"error":"access_denied","error_description":"Unauthorized","mfa_token":"Fe26..."}`)).toMatchObject({
      format: "rfc6749",
      error: "access_denied",
      extra: { mfa_token: "Fe26..." },
    });
  });

  it('reads the first of {"errors":[…]}', () => {
    const r = parseErrorInput(`{"errors":[{"code":"invalid_token","message":"Token expired"},{"code":"other_error","message":"x"}]}`);
    expect(r.kind).toBe("report");
    if (r.kind !== "report") return;
    expect(r.report).toMatchObject({ error: "invalid_token", error_description: "Token expired" });
    expect(r.notes.join(" ")).toContain("2 errors");
  });

  it("forgives quotes, a trailing comma, single quotes and a log line around JSON", () => {
    expect(one(`'{"error":"invalid_grant","error_description":"Code not valid",}',`).error).toBe("invalid_grant");
    expect(one(JSON.stringify(JSON.stringify({ error: "invalid_client" }))).error).toBe("invalid_client");
    expect(one(`{'error': 'invalid_scope', 'error_description': None}`).error).toBe("invalid_scope");
    const log = `2024-05-01T10:00:00Z ERROR oauth: token request failed status=400 body={"error":"unauthorized_client","error_description":"grant type not allowed"} attempt=1`;
    expect(one(log)).toMatchObject({ format: "rfc6749", error: "unauthorized_client", error_description: "grant type not allowed" });
  });

  it("says a token response is a success, not an error", () => {
    const r = parseErrorInput(`{"access_token":"eyJ...","token_type":"Bearer","expires_in":3600}`);
    expect(r.kind).toBe("unrecognised");
    if (r.kind === "unrecognised") expect(r.reason).toContain("successful token response");
  });
});

describe("form bodies and redirects", () => {
  it("reads GitHub's form-encoded error", () => {
    const r = one("error=bad_verification_code&error_description=The+code+passed+is+incorrect+or+expired.&error_uri=https%3A%2F%2Fdocs.github.com%2Fapps%2Fmanaging-oauth-apps%2Ftroubleshooting-oauth-app-access-token-request-errors%2F%23bad-verification-code");
    expect(r).toMatchObject({
      format: "form",
      error: "bad_verification_code",
      error_description: "The code passed is incorrect or expired.",
      error_uri: "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#bad-verification-code",
    });
  });

  it("reads seed 003's query string (+ is a space)", () => {
    expect(one("?error=unsupported_response_type&error_description=response_type+must+be+code&state=xyzABC123")).toMatchObject({
      format: "form",
      error: "unsupported_response_type",
      error_description: "response_type must be code",
      state: "xyzABC123",
    });
  });

  it("reads a redirect URL with the error in the query, iss kept in extra", () => {
    const r = one("http://127.0.0.1:53682/callback?error=access_denied&error_description=The+user+denied+access&state=af0ifjsldkj&iss=https%3A%2F%2Fas.example.com");
    expect(r).toMatchObject({ format: "redirect", error: "access_denied", state: "af0ifjsldkj", extra: { iss: "https://as.example.com" } });
  });

  it("reads a redirect URL with the error in the fragment (implicit)", () => {
    const r = parseErrorInput("https://app.example.com/cb#error=login_required&error_description=AADSTS50058%3A+A+silent+sign-in+request+was+sent&state=12345");
    expect(r.kind).toBe("report");
    if (r.kind !== "report") return;
    expect(r.report).toMatchObject({ format: "redirect", error: "login_required", state: "12345", providerCodes: ["AADSTS50058"] });
    expect(r.notes.join(" ")).toContain("fragment");
  });

  it("says a success redirect carries no error", () => {
    const r = parseErrorInput("https://app.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz");
    expect(r.kind).toBe("unrecognised");
  });
});

describe("WWW-Authenticate", () => {
  it("reads a Bearer challenge with the header name", () => {
    const r = one(`WWW-Authenticate: Bearer realm="example", error="invalid_token", error_description="The access token expired"`);
    expect(r).toMatchObject({
      format: "www-authenticate",
      error: "invalid_token",
      error_description: "The access token expired",
      extra: { scheme: "Bearer", realm: "example" },
    });
    expect(r.http?.wwwAuthenticate).toContain("Bearer realm");
  });

  it("reads a DPoP challenge without the header name", () => {
    expect(one(`DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof", algs="ES256 PS256"`)).toMatchObject({
      error: "use_dpop_nonce",
      extra: { scheme: "DPoP", algs: "ES256 PS256" },
    });
  });

  it("reads insufficient_scope with its scope and backslash escapes", () => {
    expect(one(`Bearer error="insufficient_scope", scope="read:a write:b", error_description="needs \\"write:b\\""`)).toMatchObject({
      error: "insufficient_scope",
      error_description: 'needs "write:b"',
      extra: { scope: "read:a write:b" },
    });
  });

  it("returns every challenge when there are several", () => {
    const r = parseErrorInput(`WWW-Authenticate: Negotiate YIIBfw==, DPoP algs="ES256", error="invalid_dpop_proof", Bearer realm="api"`);
    expect(r.kind).toBe("reports");
    if (r.kind !== "reports") return;
    expect(r.reports.map((x) => x.extra.scheme)).toEqual(["Negotiate", "DPoP", "Bearer"]);
    expect(r.reports[0]!.extra.token68).toBe("YIIBfw==");
    expect(r.reports[1]!.error).toBe("invalid_dpop_proof");
  });
});

describe("HTTP responses", () => {
  it("reads curl -i output with CRLF and a request id", () => {
    const raw = [
      "HTTP/1.1 400 Bad Request",
      "Date: Wed, 01 May 2024 10:00:00 GMT",
      "Content-Type: application/json;charset=UTF-8",
      "Cache-Control: no-store",
      "X-Request-Id: 7f3b2c1d-aaaa-bbbb-cccc-0123456789ab",
      "",
      `{"error":"invalid_grant","error_description":"Code not valid"}`,
    ].join("\r\n");
    expect(one(raw)).toMatchObject({
      format: "rfc6749",
      error: "invalid_grant",
      error_description: "Code not valid",
      http: {
        status: 400,
        statusText: "Bad Request",
        contentType: "application/json;charset=UTF-8",
        date: "Wed, 01 May 2024 10:00:00 GMT",
        requestIds: { "x-request-id": "7f3b2c1d-aaaa-bbbb-cccc-0123456789ab" },
      },
    });
  });

  it("falls back to WWW-Authenticate when the body is empty, keeping the DPoP nonce", () => {
    const raw = `HTTP/2 401\r\nwww-authenticate: DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"\r\ndpop-nonce: eyJ7S_zG.eyJH0-Z.HX4w-7v\r\ncf-ray: 88a1b2c3d4e5f6-AMS\r\n\r\n`;
    expect(one(raw)).toMatchObject({
      format: "www-authenticate",
      error: "use_dpop_nonce",
      http: { status: 401, requestIds: { "cf-ray": "88a1b2c3d4e5f6-AMS" } },
      extra: { scheme: "DPoP", "dpop-nonce": "eyJ7S_zG.eyJH0-Z.HX4w-7v" },
    });
  });

  it("reports only the status when there is no OAuth error at all", () => {
    const r = one("HTTP/1.1 502 Bad Gateway\nContent-Type: text/html\n\n<html><body>Bad gateway</body></html>");
    expect(r).toMatchObject({ format: "http-status", error: "", http: { status: 502, statusText: "Bad Gateway" } });
  });

  it("says a 200 token response is not an error", () => {
    const r = parseErrorInput(`HTTP/2 200\ncontent-type: application/json\n\n{"access_token":"eyJ...","token_type":"Bearer"}`);
    expect(r.kind).toBe("unrecognised");
    if (r.kind === "unrecognised") expect(r.reason).toContain("200");
  });

  it("reads an error from a 302's Location header", () => {
    const r = one("HTTP/1.1 302 Found\r\nLocation: https://app.example.com/cb?error=access_denied&state=s1\r\n\r\n");
    expect(r).toMatchObject({ format: "redirect", error: "access_denied", state: "s1", http: { status: 302 } });
  });

  it("reads curl -v output", () => {
    const raw = [
      "*   Trying 127.0.0.1:8080...",
      "* Connected to localhost (127.0.0.1) port 8080",
      "> POST /token HTTP/1.1",
      "> Host: localhost:8080",
      ">",
      "< HTTP/1.1 100 Continue",
      "<",
      "< HTTP/1.1 401 Unauthorized",
      "< Content-Type: application/json",
      '< WWW-Authenticate: Basic realm="token"',
      "< x-okta-request-id: Zj-abc",
      "<",
      "{ [97 bytes data]",
      `{"error":"invalid_client","error_description":"Client authentication failed."}`,
      "* Connection #0 to host localhost left intact",
    ].join("\n");
    expect(one(raw)).toMatchObject({
      format: "rfc6749",
      error: "invalid_client",
      http: { status: 401, wwwAuthenticate: 'Basic realm="token"', requestIds: { "x-okta-request-id": "Zj-abc" } },
    });
  });

  it("reads an Entra HTML page's AADSTS code", () => {
    const raw = "HTTP/1.1 400 Bad Request\nContent-Type: text/html\n\n<html><body><p>AADSTS50011: The redirect URI 'http://localhost:8080' does not match.</p></body></html>";
    expect(one(raw)).toMatchObject({ error: "AADSTS50011", http: { status: 400 } });
  });
});

describe("provider messages", () => {
  it("reads an Entra message with trace and correlation ids", () => {
    const msg =
      "AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.\r\nTrace ID: 8d9f7b1e-2b44-4e4c-9a55-0d7e2c0b1f00\r\nCorrelation ID: 0b7c5a52-3c2e-4f45-8f1a-5a0b7f1f9d11\r\nTimestamp: 2024-05-01 10:00:00Z";
    expect(one(msg)).toMatchObject({
      format: "provider-message",
      error: "AADSTS54005",
      error_description: "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
      providerCodes: ["AADSTS54005"],
      http: { requestIds: { trace_id: "8d9f7b1e-2b44-4e4c-9a55-0d7e2c0b1f00", correlation_id: "0b7c5a52-3c2e-4f45-8f1a-5a0b7f1f9d11" } },
    });
  });

  it("prefers the OAuth code when one precedes the AADSTS code", () => {
    expect(one("invalid_grant: AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.")).toMatchObject({
      error: "invalid_grant",
      providerCodes: ["AADSTS70008"],
      error_description: "The provided authorization code or refresh token has expired due to inactivity.",
    });
  });

  it.each([
    ["error: invalid_grant (Code not valid)", "invalid_grant", "Code not valid"],
    ["invalid_grant: Invalid refresh_token", "invalid_grant", "Invalid refresh_token"],
    ["OAuth2Error: invalid_client: Client authentication failed", "invalid_client", "Client authentication failed"],
    ['level=warn msg="token exchange failed" error=invalid_grant error_description="Code not valid"', "invalid_grant", "Code not valid"],
  ])("reads the one-liner %j", (input, error, description) => {
    expect(one(input)).toMatchObject({ format: "provider-message", error, error_description: description });
  });

  it("leaves ordinary prose unrecognised", () => {
    expect(parseErrorInput("The build failed because the user_id column is missing").kind).toBe("unrecognised");
  });
});
