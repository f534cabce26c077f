import { describe, expect, it } from "vitest";
import { explainReport } from "../../src/errors/explain.js";
import { parseErrorInput } from "../../src/errors/parse/index.js";
import type { OAuthErrorReport } from "../../src/errors/types.js";
import { providerForUrl } from "../../src/errors/provider-hosts.js";

function report(text: string): OAuthErrorReport {
  const parsed = parseErrorInput(text);
  if (parsed.kind !== "report") throw new Error(`not one report: ${JSON.stringify(parsed)}`);
  return parsed.report;
}

const ids = (text: string, hints = {}) => explainReport(report(text), hints).causes.map((c) => c.id);

describe("explainReport: provider variants need evidence", () => {
  it("a bare invalid_grant gets the standard causes and next steps, none of Apple's or seed 002's", () => {
    const e = explainReport(report("invalid_grant"));
    expect(e.matched).toEqual([]);
    expect(e.providers).toEqual([]);
    expect(e.references.map((r) => r.url).join(" ")).not.toMatch(/apple/i);
    expect(e.nextSteps.join(" ")).not.toMatch(/App ID|Services ID|seed/i);
    expect(e.causes[0]!.id).toBe("code-reused");
  });

  it("the token endpoint's host is evidence: appleid.apple.com brings Apple's variant", () => {
    const e = explainReport(report("invalid_grant"), { endpoint: "https://appleid.apple.com/auth/token" });
    expect(e.matched).toContain("apple:invalid_grant");
    expect(e.providers).toEqual([{ provider: "apple", because: "the endpoint's host appleid.apple.com" }]);
    expect(e.nextSteps.join(" ")).toMatch(/App ID/);
  });

  it("an unevidenced variant still explains a status that disagrees with the RFC", () => {
    const e = explainReport(report('HTTP/1.1 401 Unauthorized\ncontent-type: application/json\n\n{"error":"slow_down"}'));
    expect(e.statusNote).toMatch(/status is 401, but RFC 8628 §3\.5 gives 400/);
    expect(e.statusNote).toMatch(/a provider with an extended error table \(.*\) documents 401 for this code/);
    expect(e.matched).toEqual([]);
  });

  it("a matching status says nothing", () => {
    expect(explainReport(report('HTTP/1.1 400 Bad Request\n\n{"error":"invalid_grant"}')).statusNote).toBeUndefined();
  });

  it("a code only a provider uses is evidence of that provider by itself", () => {
    const e = explainReport(report("bad_verification_code"));
    expect(e.known).toBe(true);
    expect(e.providers.map((p) => p.provider)).toEqual(["github"]);
    expect(e.causes[0]!.id).toBe("code-expired");
  });

  it("maps hosts to providers, subdomains included, and nothing else", () => {
    expect(providerForUrl("https://login.microsoftonline.com/tenant/oauth2/v2.0/token")).toBe("microsoft");
    expect(providerForUrl("https://dev-123.okta.com/oauth2/default/v1/token")).toBe("okta");
    expect(providerForUrl("https://notgithub.com/login")).toBeUndefined();
    expect(providerForUrl("not a url")).toBeUndefined();
  });
});

describe("explainReport: description rules on each item of an array", () => {
  it('["Invalid refresh_token","second"] surfaces seed 003\'s causes first', () => {
    const e = explainReport(report('{"error":"invalid_grant","error_description":["Invalid refresh_token","second"]}'));
    expect(e.matched[0]).toBe("seed-003-invalid-refresh-token");
    expect(e.causes.slice(0, 2).map((c) => c.id)).toEqual(["consent-revoked", "code-expired"]);
    expect(e.causes[0]!.text).toMatch(/revoked the partner's access/);
  });

  it("the same description alone matches too, and form encoding (+) is a space", () => {
    expect(ids("error=invalid_grant&error_description=Invalid+refresh_token")[0]).toBe("consent-revoked");
  });

  it("seed 003's JSON-body hint ranks --body-format json first", () => {
    const e = explainReport(report('{"error":"invalid_request","error_description":"Unsupported Media Type for POST body. Must be json."}'));
    expect(e.causes[0]!.test).toMatch(/--body-format json/);
  });
});

describe("explainReport: unknown codes", () => {
  it("says the code is unknown and advises by HTTP status", () => {
    const e = explainReport(report('HTTP/1.1 403 Forbidden\n\n{"error":"frobnicated"}'));
    expect(e.known).toBe(false);
    expect(e.title).toBe('unknown error code "frobnicated"');
    expect(e.meaning).toMatch(/not in the catalogue.*HTTP 403/);
    expect(e.causes.map((c) => c.id)).toContain("scope-not-granted");
  });
});

describe("explainReport: the meaning", () => {
  it("an AADSTS code in the description and in error_codes says its meaning once", () => {
    const e = explainReport(report('{"error":"invalid_grant","error_description":"AADSTS54005: OAuth2 Authorization code was already redeemed","error_codes":[54005]}'));
    expect(e.meaning.split("already redeemed").length - 1).toBe(1);
    expect(e.meaning).toMatch(/^AADSTS54005: The OAuth2 authorization code was already redeemed/);
  });
});
