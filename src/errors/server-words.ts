import * as C from "./catalogue/causes.js";
import type { Cause } from "./types.js";

/**
 * One reading of a server's own words (its error_description and the fields that refine a code),
 * shared by live runs (`diagnose`) and pastes (`decode-error`). Each hit names a cause and carries
 * its text, so it is shown even when the catalogue entry of the code the server chose lacks it.
 * The callers differ only in where the text comes from and how the evidence is worded.
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

/** Which grant was spent: a live run knows it from its facts; a paste says it, or not. */
export type Grant = "code" | "refresh" | "client" | undefined;

export interface Context {
  /** The error code the server chose. */
  readonly code: string;
  readonly grant: Grant;
  /** A provider's documented description matched (the catalogue's description rules): it means what it documents. */
  readonly documented: boolean;
}

/** RFC 6749 §5.2's own definition of invalid_grant, which many servers send as the description: it names every cause, so it points at none. */
export const RFC_BOILERPLATE = /\binvalid, expired\b|\bexpired, revoked\b|\bor was issued to another client\b/;

/** Causes only a server's words point at; the rest are the catalogue's. */
const GRANT_NOT_ENABLED: Cause = { id: "grant-not-enabled", text: "This client is not allowed to use this grant type (its registration does not list it).", test: "Enable the grant for the client in the provider's console, or use a client that has it." };
const DELEGATION: Cause = { id: "delegation-not-authorized", text: "For service accounts: domain-wide delegation (or equivalent) is not authorized for the requested scopes.", test: "Retry with a smaller `--scope` that the administrator approved." };
const CONSENT_MISSING: Cause = { id: "consent-missing", text: "Consent for the app or the requested scopes has not been given.", test: "Run `oauth-cli authorize --prompt consent`." };
const WRONG_BODY_FORMAT: Cause = { id: "wrong-body-format", text: "This provider only accepts JSON request bodies.", test: "Use `--body-format json`." };

type Rule = readonly [RegExp, (w: string, c: Context) => Cause | undefined];

const REGISTERED = /\b(?:registered|configured|authori[sz]ed|whitelisted|allowed|client app settings|login redirect|in the azure portal|for the client)\b/;
const VERIFIER_MISSING = /\bcode verifier (?:(?:is |was )?(?:required|missing)|must be (?:provided|sent|given)|(?:is |was )?not (?:provided|sent|given))\b|\bmissing (?:the )?code verifier\b/;
const CHALLENGE_MISSING = /\bcode challenge (?:(?:is |was )?(?:required|missing)|must be (?:provided|sent|given)|(?:is |was )?not (?:provided|sent|given))\b|\bmissing (?:the )?code challenge\b|\brequires? pkce\b/;

/**
 * Keyword rules over {@link words}, so parameter names match however servers write them. Order does
 * not rank: every rule that matches adds a finding.
 */
const RULES: readonly Rule[] = [
  // RFC 7636 §4.4.1 / §4.5 / §4.6: the challenge goes with the authorization request, the verifier with the token request.
  [
    /\bcode verifier\b|\bverifier\b|\bcode challenge\b|\bpkce\b|\bproof key\b/,
    (w, c) =>
      VERIFIER_MISSING.test(w) ? C.PKCE_VERIFIER_MISSING
      : CHALLENGE_MISSING.test(w) || (c.code === "invalid_request" && /\bchallenge\b/.test(w) && !/\bverifier\b/.test(w)) ? C.PKCE_CHALLENGE_MISSING
      : C.PKCE_VERIFIER_MISMATCH,
  ],
  // RFC 6749 §4.1.3 (the token request repeats it) and §3.1.2 (registration). A live token request
  // naming it is about the mismatch, whatever the verb ("Mismatching redirect URI.").
  [
    /\bredirect(?:ion)? (?:uri|url)s?\b|\breply (?:url|address)\b|\bcallback url\b|direct url\b/,
    (w, c) => (REGISTERED.test(w) ? C.REDIRECT_NOT_REGISTERED : c.code === "invalid_grant" || c.grant === "code" || /\b(?:mismatch|match|incorrect|differ)/.test(w) ? C.REDIRECT_URI_MISMATCH : undefined),
  ],
  [/\balready (?:been )?(?:used|redeemed|consumed|exchanged)\b|\breplay|\bconsumed\b/, (_w, c) => (c.grant === "refresh" ? C.REFRESH_TOKEN_REUSED : C.CODE_REUSED)],
  [
    /\bexpir|\bstale\b|\b(?:token|code) is not active\b/,
    (w, c) => (/\bpassword\b/.test(w) ? undefined : /\bsecret\b/.test(w) ? C.SECRET_EXPIRED : c.grant === "code" ? C.CODE_EXPIRED : c.grant === "refresh" ? C.REFRESH_TOKEN_EXPIRED : undefined),
  ],
  // Entra's suberror user_password_expired, "password was changed": refresh tokens die with the password.
  [/\bpassword (?:has |was )?(?:expired|changed|reset)\b/, () => C.PASSWORD_CHANGED],
  [/\binactiv|\bsign in frequency\b|\bmaximum (?:age|lifetime)\b/, () => C.REFRESH_TOKEN_EXPIRED],
  // "expired or revoked" is the generic dead-token wording: the expiry rule takes it.
  [/\brevoked\b|\bsession (?:is )?(?:not active|(?:has )?ended|terminated|expired)\b|\bsigned out\b/, (w) => (/\bexpir/.test(w) && !/\bsession (?:has )?expired\b/.test(w) ? undefined : C.CONSENT_REVOKED)],
  // A token this server never issued (or not to this client): only a run that sent a refresh token can tell.
  [/\brefresh token (?:was )?(?:not found|unknown|does not exist)\b|\b(?:invalid|unknown|malformed) refresh token\b/, (_w, c) => (c.grant === "refresh" && !c.documented ? C.REFRESH_TOKEN_UNKNOWN : undefined)],
  [/\b(?:invalid|wrong|incorrect|bad) (?:client )?secret\b|\b(?:client )?secret (?:is |was )?(?:invalid|wrong|incorrect|not valid)\b|\binvalid client credentials\b/, () => C.WRONG_SECRET],
  [/\bclient (?:id )?(?:was |is )?not found\b|\bunknown client\b|\bclient id\b.{0,40}\b(?:not found|does not exist|unknown)\b|\bapplication (?:id )?with identifier\b.{0,200}\bnot found\b|\bno such client\b|\bclient does not exist\b/, () => C.UNKNOWN_CLIENT],
  [/\bclient mismatch\b|\bissued to (?:another|a different) client\b|\bnot issued to this client\b/, (_w, c) => (c.code === "invalid_grant" ? C.WRONG_CLIENT : undefined)],
  [/\bclient assertion\b|\bcredentials (?:were )?not found in the (?:headers?|body)\b|\bno client authentication\b|\bauthentication method\b/, () => C.WRONG_AUTH_METHOD],
  // "the client is registered for client_secret_post, the request used client_secret_basic": a method named as registered.
  [/\bregistered (?:for|with)\b.{0,30}\b(?:client secret (?:basic|post|jwt)|private key jwt|(?:self signed )?tls client auth)\b|\bauth(?:entication)? method\b.{0,40}\bnot (?:allowed|supported|registered|permitted)\b/, () => C.WRONG_AUTH_METHOD],
  [/\bunauthori[sz]ed grant type\b|\bgrant type\b[^.]{0,40}\bnot (?:allowed|authori[sz]ed|enabled|permitted)\b|\bgrant(?: type)? is (?:not )?(?:enabled|allowed)\b|\bnot (?:allowed|authori[sz]ed) to use (?:this |the )?grant\b/, () => GRANT_NOT_ENABLED],
  // Google's wording for a service account whose domain-wide delegation lacks the scopes.
  [/\bnot authori[sz]ed for any of the scopes\b|\bunauthori[sz]ed client or scope\b|\bunauthori[sz]ed to retrieve access tokens using this method\b/, (_w, c) => (c.code === "unauthorized_client" ? DELEGATION : undefined)],
  [/\bnot consented\b|\bconsent (?:is )?required\b|\badmin(?:istrator)? (?:consent|approval)\b/, () => CONSENT_MISSING],
  [/\bclock\b|\bnot yet valid\b|\bin the future\b|\bnbf\b|\biat\b/, () => C.CLOCK_SKEW],
  [/\bmust be json\b/, () => WRONG_BODY_FORMAT],
];

/** The causes one piece of a server's text points at, each with its text; RFC 6749's boilerplate points at none. */
export function readServerWords(text: string, context: Context): Cause[] {
  const w = words(text);
  if (RFC_BOILERPLATE.test(w)) return [];
  const found = RULES.filter(([test]) => test.test(w)).flatMap(([, cause]) => cause(w, context) ?? []);
  return found.filter((c, i) => found.findIndex((o) => o.id === c.id) === i);
}

const CODE_WORD = /\b(?:authorization code|auth code|the code|code (?:was|is|has|not)|'code'|code parameter|verification code)\b(?! (?:verifier|challenge))/;
const TOKEN_WORD = /\b(?:refresh token|token has been|token (?:is|was) (?:expired|invalid|revoked|not)|token expired|grant has|refresh)\b/;

/** Which grant a text says was spent ("Refresh token not found", "the code has expired"), when it says. */
export function readGrantSaid(text: string): Grant {
  // Nothing said (a bare code): no need to compile the two patterns below (start-up time).
  if (text.trim() === "") return undefined;
  const w = words(text);
  const code = CODE_WORD.test(w);
  const token = TOKEN_WORD.test(w);
  return code && !token ? "code" : token && !code ? "refresh" : undefined;
}

/** Fields that refine a code (ORY's error_hint, Entra's suberror, Okta's errorSummary, …): the server's words too. */
const REFINING = ["error_subtype", "error_hint", "suberror", "sub_error", "hint", "errorsummary", "error_detail", "error_details"];

/** The refining fields a report carries, each with its name as sent. */
export function findRefiningFields(extra: Readonly<Record<string, unknown>>): { field: string; text: string }[] {
  const out: { field: string; text: string }[] = [];
  for (const [k, v] of Object.entries(extra)) {
    if (typeof v === "string" && v !== "" && REFINING.includes(k.toLowerCase().replace(/^error\./, ""))) out.push({ field: k, text: v });
  }
  return out;
}

/** Quoted as evidence: one line, at most 160 characters. */
export function quote(s: string): string {
  const one = s.replace(/\s+/g, " ").trim();
  return one.length > 160 ? `${one.slice(0, 157)}…` : one;
}
