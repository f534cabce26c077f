import { describe, expect, it } from "vitest";
import { diagnose } from "../../src/errors/diagnose.js";
import { explainReport } from "../../src/errors/explain.js";
import type { DiagnosisContext } from "../../src/errors/cli-error.js";
import type { OAuthErrorReport } from "../../src/errors/types.js";

// Hand-built facts, in the names authorize, exchange, refresh and the store pass (src/cli/*).
const NOW = Date.parse("2026-01-01T12:00:00Z");
const report = (error: string, more: Partial<OAuthErrorReport> = {}): OAuthErrorReport => ({ format: "rfc6749", error, extra: {}, ...more });
const run = (r: OAuthErrorReport, command: DiagnosisContext["command"], facts: Record<string, unknown>) => diagnose(explainReport(r), { command, facts: { receivedAt: NOW, ...facts } });
const first = (e: ReturnType<typeof run>) => e.causes[0]!;
const cause = (e: ReturnType<typeof run>, id: string) => e.causes.find((c) => c.id === id);

const AUTHORIZE = {
  callbackAt: NOW - 2000,
  exchangeAt: NOW - 1000,
  authorizationRedirectUri: "http://127.0.0.1:8123/callback",
  redirectUri: "http://127.0.0.1:8123/callback",
  codeVerifierSent: true,
  codeChallengeMethod: "S256",
  codeChallenge: "abc",
  verifierMatchesChallenge: true,
  codeAlreadyExchanged: false,
  grant_type: "authorization_code",
};

describe("invalid_grant after authorize", () => {
  it("everything checks out: the causes it rules out say so and drop", () => {
    const e = run(report("invalid_grant"), "authorize", AUTHORIZE);
    expect(cause(e, "redirect-uri-mismatch")!.evidence).toEqual(["the exchange's redirect_uri is byte-identical to the authorization request's (http://127.0.0.1:8123/callback)"]);
    expect(cause(e, "pkce-verifier-mismatch")!.evidence).toEqual(["the code_verifier sent matches the code_challenge of the authorization request (S256)"]);
    expect(cause(e, "code-expired")!.evidence[0]).toMatch(/exchanged 1 s after the redirect arrived/);
    expect(first(e).id).toBe("code-reused");
  });

  it("a redirect_uri differing by a trailing slash ranks first and says so", () => {
    const e = run(report("invalid_grant"), "authorize", { ...AUTHORIZE, redirectUri: "http://127.0.0.1:8123/callback/" });
    expect(first(e).id).toBe("redirect-uri-mismatch");
    expect(first(e).evidence[0]).toMatch(/sent redirect_uri http:\/\/127\.0\.0\.1:8123\/callback but the exchange sent .*\/callback\/: only a trailing slash differs/);
  });

  it("a verifier that does not match its challenge ranks first", () => {
    const e = run(report("invalid_grant"), "authorize", { ...AUTHORIZE, verifierMatchesChallenge: false });
    expect(first(e).id).toBe("pkce-verifier-mismatch");
    expect(first(e).evidence[0]).toMatch(/does not match the code_challenge/);
  });

  it("a challenge sent but no verifier ranks PKCE first", () => {
    const e = run(report("invalid_grant"), "authorize", { ...AUTHORIZE, codeVerifierSent: false, verifierMatchesChallenge: undefined });
    expect(first(e).evidence[0]).toBe("the authorization request sent a code_challenge but the exchange sent no code_verifier");
  });

  it("15 minutes between redirect and exchange: code-expired first", () => {
    const e = run(report("invalid_grant"), "authorize", { ...AUTHORIZE, callbackAt: NOW - 901_000, exchangeAt: NOW - 1000 });
    expect(first(e).id).toBe("code-expired");
    expect(first(e).evidence[0]).toMatch(/^900 s passed between the redirect and the exchange/);
  });

  it("a code this run already exchanged: code-reused first", () => {
    const e = run(report("invalid_grant"), "authorize", { ...AUTHORIZE, codeAlreadyExchanged: true });
    expect(first(e).evidence).toContain("this run had already exchanged this code");
  });

  it("refresh-token causes cannot apply to a code exchange", () => {
    const e = run(report("invalid_grant"), "exchange", { grant_type: "authorization_code" });
    const ids = e.causes.map((c) => c.id);
    expect(ids.indexOf("refresh-token-reused")).toBeGreaterThan(ids.indexOf("password-changed"));
  });
});

describe("invalid_grant on refresh", () => {
  it("code causes drop below every refresh-token cause, even when seed 003's rule lists code-expired", () => {
    const e = run(report("invalid_grant", { error_description: "Invalid refresh_token" }), "refresh", { grant_type: "refresh_token" });
    const ids = e.causes.map((c) => c.id);
    expect(ids[0]).toBe("consent-revoked");
    for (const code of ["code-expired", "code-reused", "redirect-uri-mismatch", "pkce-verifier-mismatch"]) expect(ids.indexOf(code)).toBeGreaterThan(ids.indexOf("refresh-token-expired"));
  });

  it("unknown rotation is said, not guessed", () => {
    const e = run(report("invalid_grant"), "refresh", { grant_type: "refresh_token", refreshTokenSource: "argument", grantRecord: { kind: "refresh_token", usedBefore: false } });
    expect(cause(e, "refresh-token-reused")!.evidence[0]).toMatch(/^unknown whether the server rotates refresh tokens: .* did not come from --store/);
  });

  it("the store's age of the refresh token is evidence for expiry", () => {
    const e = run(report("invalid_grant"), "refresh", { grant_type: "refresh_token", refreshTokenSource: "store", storeSavedAt: "2025-11-01T12:00:00Z" });
    expect(cause(e, "refresh-token-expired")!.evidence[0]).toMatch(/^the refresh token was saved 61 days ago/);
    expect(first(e).id).toBe("refresh-token-expired");
  });

  it("a Date header 2 minutes behind ours adds clock-skew with the numbers", () => {
    const e = run(report("invalid_grant", { http: { status: 400, requestIds: {}, date: new Date(NOW - 120_000).toUTCString() } }), "refresh", { grant_type: "refresh_token" });
    expect(cause(e, "clock-skew")!.evidence[0]).toMatch(/is 120 s behind ours$/);
  });
});

describe("invalid_client, grants, scopes, transport", () => {
  const client = { authMethod: "client_secret_post", hasSecret: true, secretSource: "env", secretHasWhitespace: false, bodyFormat: "form" };

  it("a method discovery does not list ranks wrong-auth-method first", () => {
    const e = run(report("invalid_client"), "client-credentials", { client, metadata: { token_endpoint_auth_methods_supported: ["client_secret_basic", "private_key_jwt"] } });
    expect(first(e).id).toBe("wrong-auth-method");
    expect(first(e).evidence).toContain("the client used client_secret_post, but discovery's token_endpoint_auth_methods_supported is client_secret_basic, private_key_jwt");
  });

  it("a grant the server does not advertise: unsupported_grant_type names both", () => {
    const e = run(report("unsupported_grant_type"), "client-credentials", { grant_type: "client_credentials", metadata: { grant_types_supported: ["authorization_code", "refresh_token"] } });
    expect(first(e).id).toBe("grant-type-not-supported");
    expect(first(e).evidence[0]).toBe("asked for grant_type client_credentials, but discovery's grant_types_supported is authorization_code, refresh_token");
  });

  it("unauthorized_client for an advertised grant: this client is not allowed it", () => {
    const e = run(report("unauthorized_client"), "client-credentials", { grant_type: "client_credentials", metadata: { grant_types_supported: ["client_credentials"] } });
    expect(first(e).id).toBe("grant-not-enabled");
  });

  it("a scope discovery does not list ranks scope-unknown first; commas are called out", () => {
    const e = run(report("invalid_scope"), "client-credentials", { scope: "openid,api:admin", metadata: { scopes_supported: ["openid", "api:read"] } });
    expect(e.causes.slice(0, 2).map((c) => c.id).sort()).toEqual(["scope-separator", "scope-unknown"]);
    expect(cause(e, "scope-unknown")!.evidence[0]).toBe('asked for scope "openid,api:admin"; discovery\'s scopes_supported does not list api:admin');
  });

  it("a localhost redirect refused points at --redirect-host 127.0.0.1", () => {
    const e = run(report("invalid_request", { error_description: "localhost is not allowed for redirect_uri" }), "authorize", { redirectUri: "http://localhost:8123/callback" });
    expect(first(e).id).toBe("localhost-rejected");
    expect(first(e).evidence).toContain("the redirect_uri sent uses the host name localhost (http://localhost:8123/callback)");
    expect(first(e).test).toMatch(/--redirect-host 127\.0\.0\.1/);
  });

  it("no diagnosis leaves the explanation as it was", () => {
    const e = explainReport(report("invalid_grant"));
    expect(diagnose(e, undefined)).toBe(e);
  });
});
