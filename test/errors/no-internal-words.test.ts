import { describe, expect, it } from "vitest";
import { allEntries, allRules, lookupCode, microsoftCodes } from "../../src/errors/catalogue/index.js";
import { NAMED_PROVIDERS } from "../../src/errors/catalogue/provider-names.js";
import type { DescriptionRule } from "../../src/errors/catalogue/types.js";
import { OAuthServerError } from "../../src/errors/cli-error.js";
import { diagnose } from "../../src/errors/diagnose.js";
import { explainReport, type ExplainHints } from "../../src/errors/explain.js";
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
import { explanationJson, renderDecoded, renderError, renderExplanation } from "../../src/errors/render.js";
import type { CatalogueEntry, OAuthErrorReport } from "../../src/errors/types.js";
import { explainForPage, renderOAuthErrorPage } from "../../src/loopback/pages.js";
import { plainStyle } from "../../src/output/style.js";
import { SANDBOX_CLIENTS } from "../../src/sandbox/clients.js";
import { describeSandbox, formatSandboxJson, formatSandboxText } from "../../src/sandbox/describe.js";
import { createTestContext } from "../support/cli.js";

// Users never see our internal vocabulary: not the name of the documents the catalogue follows
// (/work/shared/seeds), not a description rule's id, not a catalogue provider key, in any text or
// JSON that the error explanation, decode-error, the error page or the sandbox banner prints.

/** Description-rule ids look like "keycloak-code-not-valid" and "microsoft-aadsts700016". */
const RULE_IDS = [...allRules().map((r) => r.id), ...microsoftCodes().map((c) => `microsoft-${c.toLowerCase()}`)];
/** A provider variant is recorded internally as "apple:invalid_grant". */
const VARIANT_IDS = allEntries().filter((e) => e.provider).map((e) => `${e.provider}:${e.code}`);
/** Keys output must translate (the ones that are not plain words anyone would write). */
const KEYS = NAMED_PROVIDERS.filter((k) => /\d|-/.test(k));

function leaks(text: string): string[] {
  const found = /seed/i.test(text) ? ["seed"] : [];
  for (const id of [...RULE_IDS, ...VARIANT_IDS, ...KEYS]) if (text.includes(id)) found.push(id);
  return found;
}

const NOW = Date.parse("2026-01-01T12:00:00Z");
const SKEWED = new Date(NOW - 600_000).toUTCString();

/** One diagnosis of every kind, with facts that make every rule speak. */
function diagnoses(): DiagnosisContext[] {
  const metadata = { token_endpoint_auth_methods_supported: ["private_key_jwt"], grant_types_supported: ["authorization_code"], scopes_supported: ["openid"] };
  const call = (grantType: string, kind?: "code" | "refresh_token") =>
    tokenCallFacts({
      grantType,
      scope: "openid,api:admin",
      client: { clientSecret: " s ", authMethod: "client_secret_post", bodyFormat: "form", secretSource: "file", secretHasWhitespace: true },
      receivedAt: NOW,
      ...(kind && { spent: { kind, record: { sentBefore: { at: NOW - 90_000, outcome: "invalid_grant", rotated: true }, arrival: { requestedAt: NOW - 800_000, arrivedAt: NOW - 700_000, via: "paste" as const, redirectUri: "http://localhost:8124/cb" } } } }),
      metadata,
    });
  const authorization = authorizationFacts({ code: { requestedAt: NOW - 800_000, arrivedAt: NOW - 700_000, via: "listener" }, redirectUri: "http://localhost:8123/callback", pkce: { method: "S256" }, metadata });
  return [
    authorizeRedirectDiagnosis(authorization),
    withTokenCall(authorizeRun(authorization, NOW - 1000), call("authorization_code", "code")),
    withTokenCall(exchangeRun({ redirectUri: "http://localhost:8123/callback", codeVerifier: "short" }), call("authorization_code", "code")),
    withTokenCall(refreshRun("store", "2025-06-01T00:00:00Z"), call("refresh_token", "refresh_token")),
    withTokenCall(clientCredentialsRun(), call("client_credentials")),
  ];
}
const DIAGNOSES = diagnoses();

/** Everything printed for this report: text and JSON, decode-error and the failing command, the browser page. */
async function everythingPrinted(report: OAuthErrorReport, hints: ExplainHints = {}): Promise<string> {
  const explanation = explainReport(report, hints);
  const out = [renderDecoded([explanation], [], plainStyle), JSON.stringify(explanationJson(explanation))];
  for (const d of DIAGNOSES) {
    const diagnosed = diagnose(explanation, d);
    out.push(renderExplanation(diagnosed, plainStyle), JSON.stringify(explanationJson(diagnosed)));
  }
  out.push(await renderError(new OAuthServerError(report, { diagnosis: DIAGNOSES[1] }), createTestContext(), { verbose: false }));
  out.push(renderOAuthErrorPage(report, await explainForPage(report), "The token exchange failed").html);
  return out.join("\n");
}

/**
 * A text the rule's pattern matches, read off the pattern: phrase() patterns (match.ts) and the
 * few hand-written ones. The test below checks that the rule does match it.
 */
function exampleFor(rule: DescriptionRule): string {
  return rule.match.source
    .replace(/^\^\\s\*/, "")
    .replace(/\[\\s[^\]]*\]\*\$$/, "")
    .replace(/\$$/, "")
    .replace(/\(\?:\\s\|\\\+\|%20\)\+/g, " ")
    .replace(/\[\\s\+\][+*]/g, " ")
    .replace(/\.\+\?/g, "x")
    .replace(/\(\?:([^|()]*)(?:\|[^()]*)?\)/g, "$1")
    .replace(/^([^|]*)\|.*$/, "$1")
    .replace(/\\?.\?/g, "")
    .replace(/\\(.)/g, "$1");
}

function reportFor(error: string, description: string | undefined, status: number | undefined): OAuthErrorReport {
  return {
    format: "rfc6749",
    error,
    ...(description !== undefined && { error_description: description }),
    ...(status !== undefined && { http: { status, requestIds: { "x-request-id": "r-1" }, date: SKEWED } }),
    extra: {},
  };
}

/** A host that names each provider with one (src/errors/provider-hosts.ts). */
const HOSTS: Readonly<Record<string, string>> = {
  microsoft: "https://login.microsoftonline.com/t/oauth2/v2.0/token",
  google: "https://oauth2.googleapis.com/token",
  github: "https://github.com/login/oauth/access_token",
  apple: "https://appleid.apple.com/auth/token",
  slack: "https://slack.com/api/oauth.v2.access",
  okta: "https://dev-1.okta.com/oauth2/v1/token",
  auth0: "https://x.auth0.com/oauth/token",
  salesforce: "https://login.salesforce.com/services/oauth2/token",
  cognito: "https://x.auth.eu-west-1.amazoncognito.com/oauth2/token",
};

describe("no internal words in what the explanation prints", () => {
  it("the leak check itself catches a seed name, a rule id and a provider key", () => {
    expect(leaks("provider: seed-003 (the description matches seed-003's \"seed-003-invalid-refresh-token\")")).toContain("seed");
    expect(leaks("matched keycloak-code-not-valid")).toEqual(["keycloak-code-not-valid"]);
    expect(leaks("matched microsoft-aadsts700016")).toEqual(["microsoft-aadsts700016"]);
    expect(leaks("apple:invalid_grant")).toEqual(["apple:invalid_grant"]);
  });

  describe("every catalogue entry", () => {
    for (const entry of allEntries()) {
      it(`${entry.provider ?? "standard"} ${entry.code}`, async () => {
        // Its own status, one no table gives (for the status note), and with the provider's host as evidence.
        const hints = { endpoint: entry.provider ? HOSTS[entry.provider] : undefined };
        const withEvidence = { ...reportFor(entry.code, undefined, 418), ...(entry.provider === "microsoft" && { providerCodes: [entry.code] }) };
        const printed = await Promise.all([
          everythingPrinted(reportFor(entry.code, undefined, entry.httpStatus[0])),
          everythingPrinted(reportFor(entry.code, "", 418)),
          everythingPrinted(withEvidence, hints),
        ]);
        for (const text of printed) expect(leaks(text), text).toEqual([]);
        // A provider's entry really speaks where something says the server is that provider.
        const evidenced = entry.provider !== undefined && (hints.endpoint !== undefined || lookupCode(entry.code)?.provider !== undefined);
        if (evidenced) expect(explainReport(withEvidence, hints).matched).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^(?:${entry.provider}:)?${entry.code}$`))]));
      });
    }
  });

  describe("every description rule", () => {
    for (const rule of allRules()) {
      it(rule.id, async () => {
        const example = exampleFor(rule);
        const report = reportFor(rule.error ?? "invalid_request", example, rule.httpStatus?.[0] ?? 400);
        // The rule really speaks in what is checked: its id is among those matched.
        expect(explainReport(report).matched, example).toContain(rule.id);
        const text = await everythingPrinted(report);
        expect(leaks(text), text).toEqual([]);
      });
    }
    for (const code of microsoftCodes()) {
      it(`the rule made from ${code} in a description`, async () => {
        const report = reportFor("invalid_request", `${code}: something went wrong. Trace ID: 1`, 400);
        expect(explainReport(report).matched).toContain(`microsoft-${code.toLowerCase()}`);
        const text = await everythingPrinted(report);
        expect(leaks(text), text).toEqual([]);
        expect(text).toContain("Microsoft Entra ID");
      });
    }
  });

  it("every catalogue text a provider variant or rule could print, read directly", () => {
    const texts = (e: CatalogueEntry | DescriptionRule) => [
      "title" in e ? e.title : "",
      e.meaning,
      e.spec.name,
      ...e.nextSteps,
      ...e.causes.flatMap((c) => [c.text, c.test ?? ""]),
    ];
    for (const e of [...allEntries(), ...allRules()]) for (const t of texts(e)) expect(leaks(t), t).toEqual([]);
  });

  it("every catalogue provider has a name for output", () => {
    const keys = new Set([...allEntries().flatMap((e) => (e.provider ? [e.provider] : [])), ...allRules().map((r) => r.provider)]);
    for (const key of keys) expect(NAMED_PROVIDERS, key).toContain(key);
  });

  it("the sandbox banner and its JSON line, every knob on", () => {
    const settings = { codeTtl: 5, accessTokenTtl: 5, refreshTokenTtl: 5, rotateRefreshTokens: false, requirePkce: "all" as const, requireJsonBody: true, legacyEnvelope: true, arrayDescriptions: true, clockSkew: 90, autoLogin: "alice", stateFile: "/tmp/s.json" };
    const d = describeSandbox("http://127.0.0.1:8933", 8933, SANDBOX_CLIENTS, settings);
    const text = formatSandboxText(d, plainStyle);
    expect(text).toMatch(/legacy \{"success":…, "data":…\} envelope/);
    expect(text).toMatch(/accepts only JSON bodies/);
    for (const out of [text, formatSandboxJson(d)]) expect(leaks(out), out).toEqual([]);
  });
});
