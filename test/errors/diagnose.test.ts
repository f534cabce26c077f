import { describe, expect, it } from "vitest";
import { diagnose } from "../../src/errors/diagnose.js";
import { explainReport } from "../../src/errors/explain.js";
import {
  authorizationFacts,
  authorizeRedirectDiagnosis,
  authorizeRun,
  clientCredentialsRun,
  type DiagnosisContext,
  exchangeRun,
  refreshRun,
  tokenCallFacts,
  withTokenCall,
} from "../../src/errors/facts.js";
import { CLOCK_SKEW_LIMIT_S } from "../../src/errors/clock-skew.js";
import type { OAuthErrorReport } from "../../src/errors/types.js";

// Facts built with the same functions authorize, exchange, refresh and the store use (src/errors/facts.ts).
const NOW = Date.parse("2026-01-01T12:00:00Z");
const report = (error: string, more: Partial<OAuthErrorReport> = {}): OAuthErrorReport => ({ format: "rfc6749", error, extra: {}, ...more });
const run = (r: OAuthErrorReport, d: DiagnosisContext) => diagnose(explainReport(r), d);
const first = (e: ReturnType<typeof run>) => e.causes[0]!;
const cause = (e: ReturnType<typeof run>, id: string) => e.causes.find((c) => c.id === id);

type CallInput = Parameters<typeof tokenCallFacts>[0];
const call = (more: Partial<CallInput> = {}) => tokenCallFacts({ grantType: "authorization_code", client: {}, receivedAt: NOW, ...more });
type AuthorizationInput = Parameters<typeof authorizationFacts>[0];
const authorization = (more: Partial<AuthorizationInput> = {}) =>
  authorizationFacts({ code: { requestedAt: NOW - 20_000, arrivedAt: NOW - 2000, via: "listener" }, redirectUri: "http://127.0.0.1:8123/callback", pkce: { method: "S256" }, ...more });
/** An authorize run refused at the exchange. */
const authorize = (more: Partial<AuthorizationInput> = {}, exchangeAt = NOW - 1000) => withTokenCall(authorizeRun(authorization(more), exchangeAt), call());

describe("invalid_grant after authorize", () => {
  it("everything checks out: the causes it rules out say so and drop", () => {
    const e = run(report("invalid_grant"), authorize());
    expect(cause(e, "redirect-uri-mismatch")!.evidence).toEqual(["the exchange's redirect_uri is byte-identical to the authorization request's (http://127.0.0.1:8123/callback)"]);
    expect(cause(e, "pkce-verifier-mismatch")!.evidence).toEqual(["the code_verifier sent matches the code_challenge of the authorization request (S256)"]);
    expect(cause(e, "code-expired")!.evidence[0]).toMatch(/the authorization request was made 19 s before this exchange \(this run\), so the code was at most 19 s old/);
    expect(first(e).id).toBe("code-reused");
  });

  it("15 minutes between redirect and exchange: code-expired first", () => {
    const e = run(report("invalid_grant"), authorize({ code: { requestedAt: NOW - 960_000, arrivedAt: NOW - 901_000, via: "listener" } }, NOW - 1000));
    expect(first(e).id).toBe("code-expired");
    expect(first(e).evidence[0]).toMatch(/^the redirect reached oauth-cli 900 s before this exchange \(this run\), so the code was at least that old/);
  });

  it("a pasted code: its age is bounded by the authorization request, never taken from the paste", () => {
    const e = run(report("invalid_grant"), authorize({ code: { requestedAt: NOW - 541_000, arrivedAt: NOW - 1000, via: "paste" } }, NOW - 1000));
    const evidence = cause(e, "code-expired")!.evidence.join("\n");
    expect(evidence).not.toMatch(/too soon|too young|younger/);
    expect(evidence).toMatch(/between 0 s and 540 s old: the code was pasted 0 s before the exchange, but the authorization request was made 540 s before it, and when the server issued a pasted code is unknown/);
  });

  it("a code oauth-cli already sent (its record of used codes): code-reused first", () => {
    const c = call({ spent: { kind: "code", record: { sentBefore: { at: NOW - 30_000, outcome: "tokens" } } } });
    const e = run(report("invalid_grant"), withTokenCall(authorizeRun(authorization(), NOW - 1000), c));
    expect(first(e).id).toBe("code-reused");
    expect(first(e).evidence[0]).toMatch(/^oauth-cli already redeemed this code at this token endpoint 30 s ago .*: the server answered with tokens$/);
  });

  it("refresh-token causes cannot apply to a code exchange", () => {
    const e = run(report("invalid_grant"), withTokenCall(exchangeRun({ redirectUri: "http://127.0.0.1:8123/callback" }), call()));
    const ids = e.causes.map((c) => c.id);
    expect(ids.indexOf("refresh-token-reused")).toBeGreaterThan(ids.indexOf("password-changed"));
  });
});

describe("invalid_grant on refresh", () => {
  it("code causes drop below every refresh-token cause, even when seed 003's rule lists code-expired", () => {
    const e = run(report("invalid_grant", { error_description: "Invalid refresh_token" }), withTokenCall(refreshRun("argument"), call({ grantType: "refresh_token" })));
    const ids = e.causes.map((c) => c.id);
    expect(ids[0]).toBe("consent-revoked");
    for (const code of ["code-expired", "code-reused", "redirect-uri-mismatch", "pkce-verifier-mismatch"]) expect(ids.indexOf(code)).toBeGreaterThan(ids.indexOf("refresh-token-expired"));
  });

  it("unknown rotation is said, not guessed", () => {
    const e = run(report("invalid_grant"), withTokenCall(refreshRun("argument"), call({ grantType: "refresh_token", spent: { kind: "refresh_token" } })));
    expect(cause(e, "refresh-token-reused")!.evidence[0]).toMatch(/^unknown whether the server rotates refresh tokens: .* did not come from --store/);
  });

  it("the store's age of the refresh token is evidence for expiry", () => {
    const e = run(report("invalid_grant"), withTokenCall(refreshRun("store", "2025-11-01T12:00:00Z"), call({ grantType: "refresh_token" })));
    expect(cause(e, "refresh-token-expired")!.evidence[0]).toMatch(/^the refresh token was saved 61 days ago/);
    expect(first(e).id).toBe("refresh-token-expired");
  });

  it("a Date header 2 minutes behind ours adds clock-skew with the numbers", () => {
    const e = run(report("invalid_grant", { http: { status: 400, requestIds: {}, date: new Date(NOW - 120_000).toUTCString() } }), withTokenCall(refreshRun("argument"), call({ grantType: "refresh_token" })));
    expect(cause(e, "clock-skew")!.evidence[0]).toMatch(/is 120 s behind ours$/);
  });
});

describe("invalid_client, grants, scopes, transport", () => {
  const client = { authMethod: "client_secret_post", clientSecret: "s3cret", secretSource: "env", secretHasWhitespace: false, bodyFormat: "form" };
  const credentials = (more: Partial<CallInput>) => withTokenCall(clientCredentialsRun(), call({ grantType: "client_credentials", ...more }));

  it("a method discovery does not list ranks wrong-auth-method first", () => {
    const e = run(report("invalid_client"), credentials({ client, metadata: { token_endpoint_auth_methods_supported: ["client_secret_basic", "private_key_jwt"] } }));
    expect(first(e).id).toBe("wrong-auth-method");
    expect(first(e).evidence).toContain("the client used client_secret_post, but discovery's token_endpoint_auth_methods_supported is client_secret_basic, private_key_jwt");
  });

  it("a grant the server does not advertise: unsupported_grant_type names both", () => {
    const e = run(report("unsupported_grant_type"), credentials({ metadata: { grant_types_supported: ["authorization_code", "refresh_token"] } }));
    expect(first(e).id).toBe("grant-type-not-supported");
    expect(first(e).evidence[0]).toBe("asked for grant_type client_credentials, but discovery's grant_types_supported is authorization_code, refresh_token");
  });

  it("unauthorized_client for an advertised grant: this client is not allowed it", () => {
    const e = run(report("unauthorized_client"), credentials({ metadata: { grant_types_supported: ["client_credentials"] } }));
    expect(first(e).id).toBe("grant-not-enabled");
  });

  it("a scope discovery does not list ranks scope-unknown first; commas are called out", () => {
    const e = run(report("invalid_scope"), credentials({ scope: "openid,api:admin", metadata: { scopes_supported: ["openid", "api:read"] } }));
    expect(e.causes.slice(0, 2).map((c) => c.id).sort()).toEqual(["scope-separator", "scope-unknown"]);
    expect(cause(e, "scope-unknown")!.evidence[0]).toBe('asked for scope "openid,api:admin"; discovery\'s scopes_supported does not list api:admin');
  });

  it("a localhost redirect refused points at --redirect-host 127.0.0.1", () => {
    const e = run(report("invalid_request", { error_description: "localhost is not allowed for redirect_uri" }), authorizeRedirectDiagnosis(authorization({ redirectUri: "http://localhost:8123/callback" })));
    expect(first(e).id).toBe("localhost-rejected");
    expect(first(e).evidence).toContain("the redirect_uri sent uses the host name localhost (http://localhost:8123/callback)");
    expect(first(e).test).toMatch(/--redirect-host 127\.0\.0\.1/);
  });

  it("no diagnosis leaves the explanation as it was", () => {
    const e = explainReport(report("invalid_grant"));
    expect(diagnose(e, undefined)).toBe(e);
  });
});

describe("facts are typed per kind of run", () => {
  it("no scope in the authorization request is said only of a refusal at the redirect, never of the token endpoint's", () => {
    const e = run(report("invalid_request"), authorizeRedirectDiagnosis(authorization({ scope: "openid" })));
    expect(cause(e, "no-scope-requested")).toBeUndefined();
    const none = run(report("invalid_request"), authorizeRedirectDiagnosis(authorization()));
    expect(cause(none, "no-scope-requested")!.evidence).toEqual(["the authorization request carried no scope"]);
    expect(cause(run(report("invalid_request"), authorize()), "no-scope-requested")).toBeUndefined();
  });

  it("--pkce none says no verifier was due, instead of claiming one matched", () => {
    const e = run(report("invalid_grant"), authorize({ pkce: { method: "none" } }));
    expect(cause(e, "pkce-verifier-mismatch")!.evidence).toEqual(["this run sent no code_challenge (--pkce none), so no code_verifier was due"]);
  });

  it("the clock-skew limit is the one the success path warns with", () => {
    const at = (s: number) => report("invalid_grant", { http: { status: 400, requestIds: {}, date: new Date(NOW + s * 1000).toUTCString() } });
    const refresh = withTokenCall(refreshRun("argument"), call({ grantType: "refresh_token" }));
    expect(cause(run(at(CLOCK_SKEW_LIMIT_S + 1), refresh), "clock-skew")!.evidence[0]).toMatch(new RegExp(`is ${CLOCK_SKEW_LIMIT_S + 1} s ahead of ours$`));
    expect(cause(run(at(CLOCK_SKEW_LIMIT_S), refresh), "clock-skew")!.evidence[0]).toMatch(/agrees with our clock/);
  });

  it("the compiler refuses a fact a kind of run does not have", () => {
    const refresh = withTokenCall(refreshRun("store", "2026-01-01T00:00:00Z"), call({ grantType: "refresh_token" }));
    const redirect = authorizeRedirectDiagnosis(authorization());
    if (refresh.command === "refresh" && redirect.command === "authorize") {
      // @ts-expect-error a refresh sends no redirect_uri
      void refresh.facts.redirectUri;
      // @ts-expect-error refused at the redirect, authorize made no token request
      void redirect.facts.receivedAt;
      // @ts-expect-error nothing writes it any more: the record of used codes says whether a code was spent
      void redirect.facts.codeAlreadyExchanged;
      expect(refresh.facts.storeSavedAt).toBe("2026-01-01T00:00:00Z");
      expect(redirect.facts.stage).toBe("redirect");
    } else {
      expect.unreachable("built as refresh and authorize");
    }
  });
});

describe("the server's words, however it spells the parameter", () => {
  const exchange = (more: Parameters<typeof exchangeRun>[0] = { redirectUri: "http://127.0.0.1:8123/callback", codeVerifier: "v".repeat(43) }) =>
    withTokenCall(exchangeRun(more), call());
  const refresh = withTokenCall(refreshRun("argument"), call({ grantType: "refresh_token" }));
  const cases: [string, string, DiagnosisContext, string][] = [
    ["invalid_request", "Mismatching redirect URI.", exchange(), "redirect-uri-mismatch"],
    ["invalid_grant", "redirectUri does not match", exchange(), "redirect-uri-mismatch"],
    ["invalid_grant", "Incorrect Redirect-URI", exchange(), "redirect-uri-mismatch"],
    ["invalid_request", "Code verifier required.", exchange({ redirectUri: "http://127.0.0.1:8123/callback" }), "pkce-verifier-missing"],
    ["invalid_grant", "Invalid code verifier", exchange(), "pkce-verifier-mismatch"],
    ["invalid_grant", "invalid codeVerifier", exchange(), "pkce-verifier-mismatch"],
    ["invalid_grant", "refresh token not found", refresh, "refresh-token-unknown"],
    ["invalid_grant", "Unknown refresh_token", refresh, "refresh-token-unknown"],
    ["invalid_grant", "Token is not active", refresh, "refresh-token-expired"],
    ["invalid_grant", "Session not active", refresh, "consent-revoked"],
    ["invalid_grant", "Code not valid, token is not active", exchange(), "code-expired"],
  ];
  it.each(cases)("%s %j ranks its cause first", (code, description, d, id) => {
    const e = run(report(code, { error_description: description }), d);
    expect(first(e).id).toBe(id);
    expect(first(e).evidence).toContain(`the server said "${description}"`);
  });

  it("\"invalid refresh token\", which a provider documents as its own: its documented cause leads, never rotation", () => {
    const e = run(report("invalid_grant", { error_description: "invalid refresh token" }), refresh);
    expect(e.recognised.some((r) => r.description !== undefined)).toBe(true);
    expect(first(e).id).not.toBe("refresh-token-reused");
  });

  it("a cause the code's catalogue entry lacks is still shown, with its text", () => {
    const plain = explainReport(report("invalid_request", { error_description: "Mismatching redirect URI." }));
    expect(plain.causes.some((c) => c.id === "redirect-uri-mismatch")).toBe(false);
    const e = diagnose(plain, exchange());
    expect(first(e)).toMatchObject({ id: "redirect-uri-mismatch", text: expect.stringMatching(/redirect_uri sent to the token endpoint differs/) });
  });

  it("authorize --pkce none refused at the redirect: the missing challenge first", () => {
    const e = run(report("invalid_request", { error_description: "Authorization Server policy requires PKCE to be used for this request" }), authorizeRedirectDiagnosis(authorization({ pkce: { method: "none" }, scope: "openid" })));
    expect(first(e).id).toBe("pkce-challenge-missing");
    expect(first(e).evidence).toContain("this run sent no code_challenge (--pkce none)");
  });
});

describe("PKCE facts weigh only where the server's words allow", () => {
  it("exchange without a verifier refused for another parameter: the missing verifier is noted, not ranked first", () => {
    const d = withTokenCall(exchangeRun({ redirectUri: "http://127.0.0.1:8123/callback" }), call());
    const e = run(report("invalid_request", { error_description: "client_id is required" }), d);
    expect(first(e).id).not.toBe("pkce-verifier-missing");
    expect(cause(e, "pkce-verifier-missing")!.evidence[0]).toMatch(/^this run sent no code_verifier/);
    expect(first(run(report("invalid_grant"), d)).id).toBe("pkce-verifier-missing");
  });
});
