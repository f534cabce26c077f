import * as C from "./catalogue/causes.js";
import { EVIDENCE, type Finding, applyFindings } from "./diagnose.js";
import type { Explanation } from "./explain.js";
import { pastedRequest } from "./parse/pasted.js";

/**
 * The evidence step for a pasted error (`decode-error`): the same weights and {@link applyFindings}
 * as a live run, fed by what the paste itself carries: the description and every field that
 * refines a code (error_subtype, error_hint, suberror, Entra's AADSTS codes and error_codes), and a
 * request shown alongside. A paste is evidence only of what it contains, so each finding quotes the
 * paste; nothing here claims what a run sent.
 */

/** Lower case, one space between words, `redirectUri` / `redirect_uri` / `redirect-URI` all `redirect uri`. */
export function words(text: string): string {
  return text
    .slice(0, 4000)
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "") // "vérifier" as pasted from a localised page is "verifier"
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .replace(/[\s_-]+/g, " ");
}

type Grant = "code" | "refresh" | undefined;

interface Rule {
  readonly test: RegExp;
  /** Which cause the words point at; `grant` is what the paste says was spent, when it says. */
  readonly cause: (code: string, w: string, grant: Grant) => string | undefined;
}

const CODE_WORD = /\b(?:authorization code|auth code|the code|code (?:was|is|has|not)|'code'|code parameter|verification code)\b(?! (?:verifier|challenge))/;
/** RFC 6749 §5.2's own definition of invalid_grant, which many servers send as the description: it names every cause, so it points at none. */
const RFC_BOILERPLATE = /\binvalid, expired\b|\bexpired, revoked\b|\bor was issued to another client\b/;
const TOKEN_WORD = /\b(?:refresh token|token has been|token (?:is|was) (?:expired|invalid|revoked|not)|token expired|grant has|refresh)\b/;

/**
 * Keyword rules keyed by parameter names however servers write them (space, underscore, camelCase,
 * any case, after {@link words}). Order does not rank: every rule that matches adds a finding.
 */
const RULES: readonly Rule[] = [
  // RFC 7636 §4.6: the verifier is checked against the challenge at the token endpoint.
  { test: /\b(?:code )?verifier\b|\bcode challenge\b|\bpkce\b|\bproof key\b/, cause: (code, w) => (code === "invalid_request" && /\bchallenge\b/.test(w) && !/\bverifier\b/.test(w) ? "pkce-challenge-missing" : "pkce-verifier-mismatch") },
  // RFC 6749 §4.1.3 (token request repeats it) and §3.1.2 (registration).
  {
    test: /\bredirect(?:ion)? (?:uri|url)\b|\breply (?:url|address)\b|\bcallback url\b|\bredirect uris?\b|direct url\b/,
    cause: (code, w) => (/\b(?:registered|configured|authori[sz]ed|whitelisted|allowed|client app settings|login redirect|in the azure portal|for the client)\b/.test(w) ? "redirect-not-registered" : code === "invalid_grant" || /\b(?:mismatch|match|incorrect|differ)/.test(w) ? "redirect-uri-mismatch" : undefined),
  },
  { test: /\balready (?:been )?(?:used|redeemed|consumed|exchanged)\b|\breplay|\bconsumed\b/, cause: (_c, _w, grant) => (grant === "refresh" ? "refresh-token-reused" : "code-reused") },
  { test: /\bexpir|\bstale\b/, cause: (_c, w, grant) => (/\bpassword\b/.test(w) ? undefined : /\bsecret\b/.test(w) ? "secret-expired" : grant === "code" ? "code-expired" : grant === "refresh" ? "refresh-token-expired" : undefined) },
  // Entra's suberror user_password_expired, "password was changed": refresh tokens die with the password.
  { test: /\bpassword (?:has |was )?(?:expired|changed|reset)\b/, cause: () => "password-changed" },
  { test: /\binactiv|\bsign in frequency\b|\bmaximum (?:age|lifetime)\b/, cause: () => "refresh-token-expired" },
  // "expired or revoked" is the generic dead-token wording: the expiry rule above takes it.
  { test: /\brevoked\b|\bsession (?:not active|(?:has )?ended|terminated)\b|\bsigned out\b/, cause: (_c, w) => (/\bexpir/.test(w) ? undefined : "consent-revoked") },
  { test: /\b(?:invalid|wrong|incorrect|bad) client secret\b|\bclient secret (?:is |was )?(?:invalid|wrong|incorrect|not valid)\b|\bsecret (?:is |was )?(?:invalid|wrong|incorrect)\b|\binvalid client credentials\b/, cause: () => "wrong-secret" },
  { test: /\bclient (?:was |is )?not found\b|\bunknown client\b|\bclient id\b.{0,40}\b(?:not found|does not exist|unknown)\b|\bapplication (?:id )?with identifier\b.{0,200}\bnot found\b|\bno such client\b|\bclient does not exist\b/, cause: () => "unknown-client" },
  { test: /\bclient assertion\b|\bcredentials (?:were )?not found in the (?:headers?|body)\b|\bno client authentication\b|\bauthentication method\b/, cause: () => "wrong-auth-method" },
  { test: /\bunauthori[sz]ed grant type\b|\bgrant type\b.{0,40}\bnot (?:allowed|authori[sz]ed|enabled|permitted)\b|\bgrant(?: type)? is (?:not )?(?:enabled|allowed)\b/, cause: () => "grant-not-enabled" },
  // Google's wording for a service account whose domain-wide delegation lacks the scopes.
  { test: /\bnot authori[sz]ed for any of the scopes\b|\bunauthori[sz]ed client or scope\b|\bunauthori[sz]ed to retrieve access tokens using this method\b/, cause: (code) => (code === "unauthorized_client" ? "delegation-not-authorized" : undefined) },
  { test: /\bnot consented\b|\bconsent (?:is )?required\b|\badmin(?:istrator)? (?:consent|approval)\b/, cause: () => "consent-missing" },
  { test: /\bclock\b|\bnot yet valid\b|\bin the future\b|\bnbf\b|\biat\b/, cause: () => C.CLOCK_SKEW.id },
];

/** Text for causes a code's catalogue entry may lack (the finding adds them). */
const CAUSE_TEXT: Readonly<Record<string, { text: string; test?: string }>> = {
  "redirect-not-registered": C.REDIRECT_NOT_REGISTERED,
  "redirect-uri-mismatch": C.REDIRECT_URI_MISMATCH,
  "pkce-verifier-mismatch": C.PKCE_VERIFIER_MISMATCH,
  "code-reused": C.CODE_REUSED,
  "code-expired": C.CODE_EXPIRED,
  "refresh-token-reused": C.REFRESH_TOKEN_REUSED,
  "refresh-token-expired": C.REFRESH_TOKEN_EXPIRED,
  "consent-revoked": C.CONSENT_REVOKED,
  "wrong-secret": C.WRONG_SECRET,
  "secret-expired": C.SECRET_EXPIRED,
  "unknown-client": C.UNKNOWN_CLIENT,
  "wrong-auth-method": C.WRONG_AUTH_METHOD,
  "clock-skew": C.CLOCK_SKEW,
  "pkce-challenge-missing": { text: "The server requires PKCE and the authorization request had no code_challenge (RFC 7636 §4.4.1), or the method is not accepted.", test: "Use `oauth-cli authorize --pkce S256`." },
  "grant-not-enabled": { text: "The grant type (authorization_code, refresh_token, client_credentials, device_code) is not enabled for this client in the provider's console.", test: "Enable the grant for the app, then retry the same command." },
  "delegation-not-authorized": { text: "For service accounts: domain-wide delegation (or equivalent) is not authorized for the requested scopes.", test: "Retry with a smaller `--scope` that the administrator approved." },
  "password-changed": C.PASSWORD_CHANGED,
  "consent-missing": { text: "Consent for the app or the requested scopes has not been given.", test: "Run `oauth-cli authorize --prompt consent`." },
};

const CODE_CAUSES = ["code-reused", "code-expired", "redirect-uri-mismatch", "pkce-verifier-mismatch"];
const REFRESH_CAUSES = ["refresh-token-reused", "refresh-token-expired"];

const REFINING = ["error_subtype", "error_hint", "suberror", "sub_error", "hint", "errorsummary", "error_detail", "error_details"];

function quote(s: string): string {
  const one = s.replace(/\s+/g, " ").trim();
  return one.length > 160 ? `${one.slice(0, 157)}…` : one;
}

/** What the paste says, each with where it says it: the description, refining fields, provider codes. */
function said(e: Explanation): { where: string; text: string }[] {
  const r = e.report;
  const out: { where: string; text: string }[] = [];
  const descs = r.descriptions && r.descriptions.length > 1 ? r.descriptions : r.error_description ? [r.error_description] : [];
  for (const d of descs) out.push({ where: "the pasted error says", text: d });
  for (const [k, v] of Object.entries(r.extra)) {
    if (typeof v === "string" && v !== "" && REFINING.includes(k.toLowerCase().replace(/^error\./, ""))) out.push({ where: `the paste's ${k} is`, text: v });
  }
  return out;
}

/** Which grant the paste says was spent: its own request's grant_type, else its words. */
function grantOf(e: Explanation, all: string): Grant {
  const request = pastedRequest(e.report.extra);
  const gt = request?.grant_type;
  if (gt === "refresh_token") return "refresh";
  if (gt === "authorization_code") return "code";
  const code = CODE_WORD.test(all);
  const token = TOKEN_WORD.test(all);
  return code && !token ? "code" : token && !code ? "refresh" : undefined;
}

/**
 * Re-ranks a pasted error's causes from what the paste carries, with the weights live runs use:
 * the server's words count as {@link EVIDENCE.serverSaid}; a request shown in the paste can rule
 * out the other grant's causes.
 */
export function diagnosePaste(e: Explanation): Explanation {
  const code = e.report.error;
  const sources = said(e);
  const all = words(sources.map((s) => s.text).filter((t) => !RFC_BOILERPLATE.test(words(t))).join(" "));
  const grant = grantOf(e, all);
  const findings: Finding[] = [];
  for (const source of sources) {
    const w = words(source.text);
    if (RFC_BOILERPLATE.test(w)) continue;
    for (const rule of RULES) {
      if (!rule.test.test(w)) continue;
      const causeId = rule.cause(code, w, grant);
      if (causeId === undefined) continue;
      const extra = CAUSE_TEXT[causeId];
      findings.push({ causeId, weight: EVIDENCE.serverSaid, evidence: `${source.where} "${quote(source.text)}"`, ...(extra && { text: extra.text, ...(extra.test !== undefined && { test: extra.test }) }) });
    }
  }
  // The paste names the grant that failed ("Refresh token not found", "the code has expired"): the
  // other grant's causes cannot apply, as for a live run that knows what it sent.
  if (code === "invalid_grant" && grant !== undefined) {
    for (const causeId of grant === "refresh" ? CODE_CAUSES : REFRESH_CAUSES) findings.push({ causeId, weight: EVIDENCE.impossible });
  }
  const request = pastedRequest(e.report.extra);
  if (request !== undefined && code === "invalid_grant") {
    const shown = request.grant_type;
    if (shown === "refresh_token") for (const causeId of CODE_CAUSES) findings.push({ causeId, weight: EVIDENCE.impossible });
    if (shown === "authorization_code") for (const causeId of REFRESH_CAUSES) findings.push({ causeId, weight: EVIDENCE.impossible });
  }
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
