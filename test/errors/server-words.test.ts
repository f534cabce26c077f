import { describe, expect, it } from "vitest";
import { diagnose } from "../../src/errors/diagnose.js";
import { explainReport } from "../../src/errors/explain.js";
import { exchangeRun, refreshRun, tokenCallFacts, withTokenCall } from "../../src/errors/facts.js";
import { diagnosePaste } from "../../src/errors/paste-diagnosis.js";
import { readServerWords, words } from "../../src/errors/server-words.js";
import type { OAuthErrorReport } from "../../src/errors/types.js";

// One rule set reads the server's words for live runs (diagnose) and pastes (decode-error).
const report = (error: string, error_description: string, extra: Record<string, unknown> = {}): OAuthErrorReport => ({ format: "rfc6749", error, error_description, extra });
const ids = (text: string, grant: "code" | "refresh" | "client" | undefined, code = "invalid_grant") => readServerWords(text, { code, grant, documented: false }).map((c) => c.id);
const call = (grantType: string) => tokenCallFacts({ grantType, client: {}, receivedAt: Date.parse("2026-01-01T12:00:00Z") });
const live = (r: OAuthErrorReport, command: "exchange" | "refresh") =>
  diagnose(explainReport(r), command === "refresh" ? withTokenCall(refreshRun("argument"), call("refresh_token")) : withTokenCall(exchangeRun({ redirectUri: "http://127.0.0.1:8123/callback", codeVerifier: "a".repeat(43) }), call("authorization_code")));
const paste = (r: OAuthErrorReport) => diagnosePaste(explainReport(r));

describe("server-words: parameter names however servers write them", () => {
  it("space, underscore, camelCase and hyphen are one parameter name", () => {
    for (const text of ["Mismatching redirect URI.", "redirect_uri mismatch", "redirectUri does not match", "Redirect-URI mismatch"]) {
      expect(words(text)).toMatch(/redirect uri/);
      expect(ids(text, "code")).toEqual(["redirect-uri-mismatch"]);
    }
  });

  it("the phrasings live servers send point at their cause, given the grant (RFC 7636 §4.5, RFC 6749 §5.2)", () => {
    expect(ids("Code verifier required.", "code")).toEqual(["pkce-verifier-missing"]);
    expect(ids("grant request is invalid (code_verifier must be provided)", "code")).toEqual(["pkce-verifier-missing"]);
    expect(ids("Code challenge required.", "code", "invalid_request")).toEqual(["pkce-challenge-missing"]);
    expect(ids("Invalid code verifier", "code")).toEqual(["pkce-verifier-mismatch"]);
    expect(ids("refresh token not found", "refresh")).toEqual(["refresh-token-unknown"]);
    expect(ids("invalid refresh token", "refresh")).toEqual(["refresh-token-unknown"]);
    expect(ids("Token is not active", "refresh")).toEqual(["refresh-token-expired"]);
    expect(ids("Token is not active", "code")).toEqual(["code-expired"]);
    expect(ids("Session not active", "refresh")).toEqual(["consent-revoked"]);
    expect(ids("authorization code already used", "code")).toEqual(["code-reused"]);
    expect(ids("refresh token already used", "refresh")).toEqual(["refresh-token-reused"]);
    expect(ids("client authentication failed (the client is registered for client_secret_post, the request used client_secret_basic)", "client", "invalid_client")).toEqual(["wrong-auth-method"]);
  });

  it("RFC 6749 §5.2's own definition of invalid_grant, sent as the description, points at nothing", () => {
    expect(ids("The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.", "code")).toEqual([]);
  });
});

describe("server-words: live runs and pastes read the same words, and word the evidence differently", () => {
  it("a refresh refused with 'Refresh token not found': the foreign-token cause first in both, with its text", () => {
    const r = report("invalid_grant", "Refresh token not found");
    const fromRun = live(r, "refresh");
    expect(fromRun.causes[0]!.id).toBe("refresh-token-unknown");
    expect(fromRun.causes[0]!.evidence).toContain('the server said "Refresh token not found"');
    const fromPaste = paste({ ...r, extra: { grant_type: "refresh_token" } });
    const unknown = fromPaste.causes.find((c) => c.id === "refresh-token-unknown");
    // The cause is not in invalid_grant's catalogue entry: the finding brings its text.
    expect(unknown?.text).toMatch(/not issued by this server/);
    expect(unknown?.evidence).toContain('the pasted error says "Refresh token not found"');
  });

  it("a refining field (error_hint) is read in a live run as in a paste", () => {
    const r = report("invalid_grant", "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.", { error_hint: "The PKCE code verifier does not match the code challenge." });
    const fromRun = live(r, "exchange");
    expect(fromRun.causes[0]!.id).toBe("pkce-verifier-mismatch");
    expect(fromRun.causes[0]!.evidence.join("\n")).toMatch(/the server's error_hint is "The PKCE code verifier/);
    const fromPaste = paste(r);
    expect(fromPaste.causes[0]!.id).toBe("pkce-verifier-mismatch");
    expect(fromPaste.causes[0]!.evidence.join("\n")).toMatch(/the paste's error_hint is "The PKCE code verifier/);
    expect(fromPaste.causes.flatMap((c) => c.evidence).join("\n")).not.toMatch(/this run|the server said/);
  });
});
