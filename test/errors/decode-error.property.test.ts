import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allEntries, allRules } from "../../src/errors/catalogue/index.js";
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
import { parseErrorInput } from "../../src/errors/parse/index.js";
import { explanationJson, renderDecoded, renderExplanation } from "../../src/errors/render.js";
import { plainStyle } from "../../src/output/style.js";

// The whole decode-error path (parse → explain → diagnose → render as text and JSON) is total:
// whatever is pasted, and whatever facts a command can hand over (any value of their types), it
// returns printable output.

/** Runs the path; returns the text decode-error would print (or the reason it would exit 2). */
function decodeAll(input: string, diagnosis?: DiagnosisContext, endpoint?: string): string {
  const parsed = parseErrorInput(input);
  if (parsed.kind === "unrecognised") {
    expect(parsed.reason.length).toBeGreaterThan(0);
    return parsed.reason;
  }
  const reports = parsed.kind === "report" ? [parsed.report] : parsed.reports;
  const explanations = reports.map((r) => explainReport(r, { endpoint }));
  for (const e of explanations) {
    // Every error read gets at least one cause to try: known codes from the catalogue, unknown ones by status.
    expect(e.causes.length).toBeGreaterThan(0);
    expect(e.title.length).toBeGreaterThan(0);
    JSON.stringify(explanationJson(e));
    if (diagnosis) {
      const d = diagnose(e, diagnosis);
      expect(d.causes.length).toBeGreaterThanOrEqual(e.causes.length);
      renderExplanation(d, plainStyle);
    }
  }
  const text = renderDecoded(explanations, parsed.notes, plainStyle);
  expect(text.endsWith("\n")).toBe(true);
  return text;
}

const codes = [...new Set(allEntries().map((e) => e.code))];
const phrases = allRules().map((r) => r.match.source.replace(/\\s|\(\?:[^)]*\)\+?|[\\^$*+?()[\]{}|]/g, " ").replace(/\s+/g, " ").trim());

const errorBody = fc.record(
  {
    error: fc.oneof(fc.constantFrom(...codes), fc.string({ maxLength: 30 })),
    error_description: fc.oneof(fc.constantFrom(...phrases), fc.string(), fc.array(fc.oneof(fc.constantFrom(...phrases), fc.string()), { maxLength: 4 })),
    error_uri: fc.oneof(fc.webUrl(), fc.string()),
    error_codes: fc.array(fc.integer({ min: 0, max: 999_999 }), { maxLength: 3 }),
  },
  { requiredKeys: ["error"] },
);

const wrapped = fc.tuple(errorBody, fc.integer({ min: 100, max: 599 }), fc.constantFrom("json", "curl", "form", "redirect", "challenge")).map(([body, status, how]) => {
  const json = JSON.stringify(body);
  const desc = Array.isArray(body.error_description) ? body.error_description.join("; ") : body.error_description ?? "";
  if (how === "curl") return `HTTP/1.1 ${status} X\r\nContent-Type: application/json\r\nDate: Wed, 01 May 2024 10:00:00 GMT\r\n\r\n${json}`;
  if (how === "form") return new URLSearchParams({ error: body.error, error_description: desc }).toString();
  if (how === "redirect") return `http://127.0.0.1:1/cb?${new URLSearchParams({ error: body.error, error_description: desc, state: "s" })}`;
  if (how === "challenge") return `Bearer error="${body.error.replace(/["\\]/g, "")}", error_description="${desc.replace(/["\\]/g, "")}"`;
  return json;
});

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const words = fc.oneof(fc.string(), fc.constantFrom("openid", "openid profile", "api:read,api:write", "client_secret_basic", "refresh_token", "authorization_code", "client_credentials"));
const discovery = maybe(fc.record({ token_endpoint_auth_methods_supported: fc.array(words), grant_types_supported: fc.array(words), scopes_supported: fc.array(words) }, { requiredKeys: [] }));
const moment = fc.integer({ min: 0, max: 4_102_444_800_000 });
const redirectUri = fc.oneof(fc.webUrl(), fc.constantFrom("http://localhost:1/cb", "http://127.0.0.1:8123/callback"), fc.string());

/** The token request's facts, any value of their type. */
const tokenCall = fc
  .record({
    grantType: words,
    scope: maybe(words),
    client: fc.record({ clientSecret: maybe(fc.string()), authMethod: maybe(words), bodyFormat: maybe(fc.constantFrom("form", "json")), secretSource: maybe(fc.constantFrom("file", "env", "stdin", "argument")), secretHasWhitespace: maybe(fc.boolean()) }),
    receivedAt: moment,
    spent: maybe(
      fc.record({
        kind: fc.constantFrom("code" as const, "refresh_token" as const),
        record: maybe(
          fc.record({
            sentBefore: maybe(fc.record({ at: moment, outcome: fc.oneof(fc.constant("tokens"), fc.string()), rotated: maybe(fc.boolean()) })),
            arrival: maybe(fc.record({ requestedAt: moment, arrivedAt: moment, via: fc.constantFrom("listener" as const, "paste" as const), redirectUri })),
          }),
        ),
      }),
    ),
    metadata: discovery,
  })
  .map(tokenCallFacts);

const authorization = fc
  .record({
    code: fc.record({ requestedAt: moment, arrivedAt: moment, via: fc.constantFrom("listener" as const, "paste" as const) }),
    redirectUri,
    scope: maybe(words),
    pkce: fc.record({ method: fc.constantFrom("S256" as const, "plain" as const, "none" as const) }),
    metadata: discovery,
  })
  .map(authorizationFacts);

/** Every kind of run's diagnosis, built with the functions the commands use. */
const diagnoses: fc.Arbitrary<DiagnosisContext> = fc.oneof(
  authorization.map(authorizeRedirectDiagnosis),
  fc.tuple(authorization, moment, tokenCall).map(([a, at, c]) => withTokenCall(authorizeRun(a, at), c)),
  fc.tuple(redirectUri, maybe(fc.string()), tokenCall).map(([uri, verifier, c]) => withTokenCall(exchangeRun({ redirectUri: uri, codeVerifier: verifier }), c)),
  fc.tuple(fc.constantFrom("store" as const, "argument" as const, "env" as const, "stdin" as const), maybe(fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string())), tokenCall).map(([source, saved, c]) => withTokenCall(refreshRun(source, saved), c)),
  tokenCall.map((c) => withTokenCall(clientCredentialsRun(), c)),
);

describe("decode-error path: parse + explain + diagnose + render never throw", () => {
  it("on random strings", () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => void decodeAll(s)), { numRuns: 500 });
  });

  it("on error bodies built from the catalogue's codes and description rules, in every wrapper", () => {
    fc.assert(fc.property(wrapped, (s) => void decodeAll(s)), { numRuns: 500 });
  });

  it("with any diagnosis a command can build, and any endpoint", () => {
    fc.assert(fc.property(wrapped, diagnoses, maybe(fc.oneof(fc.webUrl(), fc.string())), (s, d, endpoint) => void decodeAll(s, d, endpoint)), { numRuns: 400 });
  });

  it("on a 1 MiB paste of each kind", () => {
    const big = "x".repeat(1024 * 1024);
    for (const s of [JSON.stringify({ error: "invalid_grant", error_description: [big, "Invalid refresh_token"] }), `error=invalid_grant&error_description=${big}`, `HTTP/1.1 401 X\r\n\r\n{"error":"${big}"}`, big]) {
      expect(typeof decodeAll(s)).toBe("string");
    }
  });
});
