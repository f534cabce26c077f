import * as C from "./catalogue/causes.js";
import { CODE_CAUSES, EVIDENCE, type Finding, REFRESH_CAUSES, applyFindings } from "./diagnose.js";
import type { Explanation } from "./explain.js";
import { pastedRequest } from "./parse/pasted.js";
import { type Grant, RFC_BOILERPLATE, readGrantSaid, quote, findRefiningFields, readServerWords, words } from "./server-words.js";

/**
 * The evidence step for a pasted error (`decode-error`): the same weights and {@link applyFindings}
 * as a live run, fed by what the paste itself carries: the description and every field that
 * refines a code (error_subtype, error_hint, suberror, Entra's AADSTS codes and error_codes), and a
 * request shown alongside. A paste is evidence only of what it contains, so each finding quotes the
 * paste; nothing here claims what a run sent.
 */

/** What the paste says, each with where it says it: the description, refining fields, provider codes. */
function said(e: Explanation): { where: string; text: string }[] {
  const r = e.report;
  const descs = r.descriptions && r.descriptions.length > 1 ? r.descriptions : r.error_description ? [r.error_description] : [];
  return [...descs.map((text) => ({ where: "the pasted error says", text })), ...findRefiningFields(r.extra).map((f) => ({ where: `the paste's ${f.field} is`, text: f.text }))];
}

/** Which grant the paste says was spent: its own request's grant_type, else its words. */
function grantOf(e: Explanation, all: string): Grant {
  const gt = pastedRequest(e.report.extra)?.grant_type;
  return gt === "refresh_token" ? "refresh" : gt === "authorization_code" ? "code" : readGrantSaid(all);
}

/**
 * Re-ranks a pasted error's causes from what the paste carries, with the weights live runs use:
 * the server's words count as {@link EVIDENCE.serverSaid}; a request shown in the paste can rule
 * out the other grant's causes.
 */
export function diagnosePaste(e: Explanation): Explanation {
  const code = e.report.error;
  const sources = said(e);
  const grant = grantOf(e, sources.map((s) => s.text).filter((t) => !RFC_BOILERPLATE.test(words(t))).join(" "));
  const context = { code, grant, documented: e.recognised.some((r) => r.description !== undefined) };
  const findings: Finding[] = sources.flatMap((source) =>
    // A paste's "verifier required" stays under the catalogue's PKCE cause: the paste's own request
    // is the evidence of what was sent (below); the separate "sent none" cause is for runs that know.
    readServerWords(source.text, context).map((c) => (c.id === C.PKCE_VERIFIER_MISSING.id ? C.PKCE_VERIFIER_MISMATCH : c)).map((cause) => ({ causeId: cause.id, weight: EVIDENCE.serverSaid, evidence: `${source.where} "${quote(source.text)}"`, text: cause.text, ...(cause.test !== undefined && { test: cause.test }) })),
  );
  // The paste shows the grant that failed (its request, or "Refresh token not found", "the code has
  // expired"): the other grant's causes cannot apply, as for a live run that knows what it sent.
  if (code === "invalid_grant" && grant !== undefined) {
    for (const causeId of grant === "refresh" ? CODE_CAUSES : REFRESH_CAUSES) findings.push({ causeId, weight: EVIDENCE.impossible });
  }
  const request = pastedRequest(e.report.extra);
  if (request?.grant_type === "authorization_code" && (code === "invalid_grant" || code === "invalid_request")) {
    // RFC 7636 §4.5: a code bound to a challenge needs its verifier in the token request.
    findings.push(request.code_verifier === undefined
      ? { causeId: "pkce-verifier-mismatch", weight: EVIDENCE.suggests, evidence: "the pasted token request carried no code_verifier: if the authorization request sent a code_challenge, the server needs one", text: C.PKCE_VERIFIER_MISMATCH.text, test: C.PKCE_VERIFIER_MISMATCH.test }
      : { causeId: "pkce-verifier-mismatch", weight: EVIDENCE.noted, evidence: "the pasted token request carried a code_verifier; whether it matches the challenge only the authorization request can tell" });
  }
  if (request?.redirect_uri !== undefined) {
    // At the token endpoint it must repeat the authorization request's (RFC 6749 §4.1.3); there, be registered (§3.1.2).
    findings.push(code === "invalid_grant"
      ? { causeId: "redirect-uri-mismatch", weight: EVIDENCE.noted, evidence: `the pasted request carried redirect_uri=${request.redirect_uri}: it must equal the authorization request's byte for byte` }
      : { causeId: "redirect-not-registered", weight: EVIDENCE.noted, evidence: `the pasted request carried redirect_uri=${request.redirect_uri}: that exact string must be registered` });
  }
  return applyFindings(e, findings);
}
