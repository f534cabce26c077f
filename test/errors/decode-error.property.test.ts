import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allEntries, allRules } from "../../src/errors/catalogue/index.js";
import type { DiagnosisContext } from "../../src/errors/cli-error.js";
import { diagnose } from "../../src/errors/diagnose.js";
import { explainReport } from "../../src/errors/explain.js";
import { parseErrorInput } from "../../src/errors/parse/index.js";
import { explanationJson, renderDecoded, renderExplanation } from "../../src/errors/render.js";
import { plainStyle } from "../../src/output/style.js";

// The whole decode-error path (parse → explain → diagnose → render as text and JSON) is total:
// whatever is pasted, and whatever facts a command hands over, it returns printable output.

/** Runs the path; returns the text decode-error would print (or the reason it would exit 2). */
function decodeAll(input: string, facts?: Record<string, unknown>): string {
  const parsed = parseErrorInput(input);
  if (parsed.kind === "unrecognised") {
    expect(parsed.reason.length).toBeGreaterThan(0);
    return parsed.reason;
  }
  const reports = parsed.kind === "report" ? [parsed.report] : parsed.reports;
  const explanations = reports.map((r) => explainReport(r, { endpoint: typeof facts?.endpoint === "string" ? facts.endpoint : undefined }));
  for (const e of explanations) {
    // Every error read gets at least one cause to try: known codes from the catalogue, unknown ones by status.
    expect(e.causes.length).toBeGreaterThan(0);
    expect(e.title.length).toBeGreaterThan(0);
    JSON.stringify(explanationJson(e));
    if (facts) {
      const d = diagnose(e, { command: "exchange", facts } as DiagnosisContext);
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

/** Facts of every shape a command could pass, typed right or wrong. */
const facts = fc.dictionary(
  fc.constantFrom("grant_type", "client", "metadata", "scope", "receivedAt", "grantRecord", "callbackAt", "exchangeAt", "redirectUri", "authorizationRedirectUri", "codeVerifierSent", "verifierMatchesChallenge", "codeChallenge", "codeChallengeMethod", "storeSavedAt", "endpoint", "refreshTokenSource"),
  fc.oneof(fc.anything(), fc.constantFrom("refresh_token", "authorization_code", "http://localhost:1/cb"), fc.record({ kind: fc.constantFrom("code", "refresh_token"), usedBefore: fc.boolean(), at: fc.integer(), rotated: fc.boolean(), outcome: fc.string() }), fc.record({ token_endpoint_auth_methods_supported: fc.anything(), scopes_supported: fc.array(fc.string()), grant_types_supported: fc.anything() })),
);

describe("decode-error path: parse + explain + diagnose + render never throw", () => {
  it("on random strings", () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => void decodeAll(s)), { numRuns: 500 });
  });

  it("on error bodies built from the catalogue's codes and description rules, in every wrapper", () => {
    fc.assert(fc.property(wrapped, (s) => void decodeAll(s)), { numRuns: 500 });
  });

  it("with arbitrary diagnosis facts", () => {
    fc.assert(fc.property(wrapped, facts, (s, f) => void decodeAll(s, f)), { numRuns: 400 });
  });

  it("on a 1 MiB paste of each kind", () => {
    const big = "x".repeat(1024 * 1024);
    for (const s of [JSON.stringify({ error: "invalid_grant", error_description: [big, "Invalid refresh_token"] }), `error=invalid_grant&error_description=${big}`, `HTTP/1.1 401 X\r\n\r\n{"error":"${big}"}`, big]) {
      expect(typeof decodeAll(s)).toBe("string");
    }
  });
});
