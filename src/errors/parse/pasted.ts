/**
 * What people paste when no parser above recognised it: the error strings client libraries print,
 * provider error pages, and bodies damaged on the way (escaped inside another string, truncated,
 * smart quotes, Python/JS/Objective-C reprs). A tolerant scanner reads the fields out of the text;
 * every pattern runs on the first and the last 64 KiB (a long log usually ends with the error), one
 * line at a time where it can, so a few MiB cost no more than reading 128 KiB.
 *
 * Recognised, first match wins:
 *  - Go golang.org/x/oauth2 ≥ 0.9: `oauth2: "invalid_grant" "Token has been expired or revoked."`
 *    (older versions print `oauth2: cannot fetch token: 400 …\nResponse: {…}`, read as JSON in a log);
 *  - Rust (oauth2, yup-oauth2) Debug output: `error: InvalidGrant, error_description: Some("…")`;
 *  - an error field in any quoting: JSON (also escaped `\"error\"`, truncated or with smart quotes),
 *    Python `{'error': 'invalid_grant'}` / `b'{…}'`, JS `{ error: 'invalid_grant' }`, Objective-C
 *    `error = "invalid_grant";`, MSAL's `errorCode: 'invalid_client'`;
 *  - passport-oauth2's `TokenError: <description>` with `code: 'invalid_grant'` after the stack;
 *  - oauthlib `(invalid_grant) Invalid code verifier.`, Spring Security `[invalid_grant] …`;
 *  - provider pages: Google's `Error 400: redirect_uri_mismatch` and the lines after it, Okta's
 *    `Error Code: invalid_request` / `Description: …` (any language the labels are listed for).
 * A request shown in the paste (`Request details: redirect_uri=…`, `key=value` lines) is kept in
 * `extra.request` so the diagnosis can use it.
 */
import { addProviderCodes, looksLikeErrorCode } from "./codes.js";
import { type Ctx, type Draft, newDraft, setDescription } from "./draft.js";
import { MAX_HEAD } from "./scan.js";

/** The OAuth request parameters worth keeping when a paste shows the request too. */
const REQUEST_PARAMS = new Set(["grant_type", "redirect_uri", "response_type", "scope", "code_verifier", "code_challenge", "code_challenge_method", "client_id", "prompt", "response_mode"]);

/** Field names that look like codes (snake_case) but never are one. */
export const FIELD_NAMES = new Set(["error_description", "error_uri", "error_codes", "error_code", "error_subtype", "error_hint", "trace_id", "correlation_id", "grant_type", "redirect_uri", "client_id", "client_secret", "refresh_token", "access_token", "id_token", "code_verifier", "code_challenge", "response_type", "token_type", "expires_in"]);

/** Fields beyond RFC 6749 §5.2 that refine a code (Entra's suberror, Ory's error_hint, …): kept in extra. */
const REFINING_FIELDS = ["error_subtype", "error_hint", "suberror", "sub_error", "error_codes", "error_uri", "errorsummary", "hint"];

/** The first and the last MAX_HEAD characters: a long log usually ends with the error. */
function ends(text: string): string[] {
  return text.length > MAX_HEAD ? [text.slice(0, MAX_HEAD), text.slice(-MAX_HEAD)] : [text];
}

export function parsePasted(text: string, ctx: Ctx): Draft[] | undefined {
  for (const part of ends(text)) {
    const head = normalise(part);
    const d = goNew(head) ?? rustDebug(head) ?? passport(head) ?? fields(head) ?? bracketed(head) ?? errorPage(head);
    if (d !== undefined) return finish(d, head, ctx);
  }
  return undefined;
}

function finish(d: Draft, head: string, ctx: Ctx): Draft[] {
  addProviderCodes(d, d.error_description ?? "");
  addProviderCodes(d, head);
  ctx.notes.push("read as pasted text: the error's fields were picked out of it");
  return [d];
}

/** Escaped quotes and line breaks (a body kept inside another string), smart quotes, HTML spaces. */
function normalise(s: string): string {
  let t = s.replace(/[\u201c\u201d\u201e\u2033]/g, '"').replace(/[\u2018\u2019\u201a]/g, "'").replace(/&nbsp;/g, " ");
  // Up to two levels of `\"` (a JSON body in a JSON string in a log line). `\\"` finds what `\\+"`
  // would, without rescanning a long run of backslashes from each of its positions (quadratic).
  for (let i = 0; i < 2 && /\\"/.test(t); i++) t = t.replace(/\\(["\\/])/g, "$1").replace(/\\r/g, "\r").replace(/\\n/g, "\n").replace(/\\t/g, "\t");
  return t;
}

/** golang.org/x/oauth2 ≥ 0.9 `RetrieveError.Error()`: `oauth2: "code" "description"`. */
function goNew(head: string): Draft | undefined {
  const m = /\boauth2: "([A-Za-z0-9_.-]{1,100})"(?: "((?:[^"\\\n]|\\.){0,4000})")?/.exec(head);
  if (m === null || !looksLikeErrorCode(m[1]!)) return undefined;
  const d = newDraft("provider-message", m[1]!);
  if (m[2] !== undefined) setDescription(d, m[2]);
  return d;
}

/** Rust `StandardErrorResponse { error: InvalidGrant, error_description: Some("…"), … }`. */
function rustDebug(head: string): Draft | undefined {
  const m = /\berror: ([A-Z][A-Za-z]{2,60})\s*,\s*error_description: (?:Some\(\s*"((?:[^"\\\n]|\\.){0,4000})"|None)/.exec(head);
  if (m === null) return undefined;
  const code = m[1]!.replace(/[A-Z]/g, (c, i: number) => `${i === 0 ? "" : "_"}${c.toLowerCase()}`);
  const d = newDraft("provider-message", code);
  if (m[2] !== undefined) setDescription(d, m[2].replace(/\\(.)/g, "$1"));
  return d;
}

/**
 * passport-oauth2's TokenError / AuthorizationError as Node prints them: the message (the server's
 * error_description) on the first line, the code among the properties after the stack
 * (`{ code: 'invalid_grant', uri: undefined, status: 500 }`).
 */
function passport(head: string): Draft | undefined {
  const m = /\b(?:TokenError|AuthorizationError): ([^\n]{1,2000})/.exec(head);
  if (m === null) return undefined;
  const code = field(head.slice(m.index), "code", true);
  if (code === undefined) return undefined;
  const d = newDraft("provider-message", code);
  setDescription(d, m[1]!.trim());
  return d;
}

/** A quoted string value starting at `at` (`"…"`, `'…'`, `u'…'`), or the rest of the line when the paste was cut. */
function valueAt(s: string, at: number): string | undefined {
  let i = at;
  if (s[i] === "u" || s[i] === "b") i++;
  const q = s[i];
  if (q !== '"' && q !== "'") return undefined;
  let out = "";
  for (let j = i + 1; j < s.length && j < i + 4000; j++) {
    const c = s[j]!;
    if (c === "\\" && j + 1 < s.length) {
      const n = s[j + 1]!;
      out += n === "n" ? "\n" : n === "r" ? "\r" : n === "t" ? "\t" : n;
      j++;
    } else if (c === q) return out;
    else if (c === "\n" && q === "'") return out;
    else out += c;
  }
  return out; // truncated paste: what there is
}

/** The value of a field in any common quoting: `"k": "v"`, `'k': 'v'`, `k: 'v'`, `k = "v";`, `"k" : "v"`. */
function field(head: string, names: string, codeOnly: boolean): string | undefined {
  // `=>`: PHP print_r / var_export and Ruby hashes; print_r leaves the value unquoted to the line end.
  const re = new RegExp(`(?:^|[\\s{,(\\[:])["']?(?:${names})["'\\]]?\\s*(=>|[:=])\\s*`, "gi");
  for (let m = re.exec(head), i = 0; m !== null && i < 20; m = re.exec(head), i++) {
    const at = m.index + m[0].length;
    const v = valueAt(head, at) ?? (m[1] === "=>" ? /^[^\n,)]{1,2000}/.exec(head.slice(at, at + 2000))?.[0] : undefined);
    if (v === undefined) continue;
    if (!codeOnly) return v.trim();
    const code = v.trim();
    if (looksLikeErrorCode(code) && !/^AADSTS/.test(code)) return code;
  }
  return undefined;
}

/** An `error` field written any way a language prints a map, even in a damaged or truncated body. */
function fields(head: string): Draft | undefined {
  const code = field(head, "error|errorCode|error_code", true);
  if (code === undefined) return undefined;
  const d = newDraft("provider-message", code);
  const desc = field(head, "error_description|errorDescription", false) ?? field(head, "errorMessage|error_message", false);
  if (desc !== undefined && desc !== "") setDescription(d, desc.replace(/\s*(?:\r?\n)+\s*(?:Trace ID|Correlation ID|Timestamp)\s*:[\s\S]*$/i, "").trim());
  else {
    // google-auth, AppAuth and others put `code: description` in the message before the body.
    const at = head.indexOf(`${code}: `);
    const rest = at < 0 ? "" : head.slice(at + code.length + 2, at + code.length + 2 + 2000).split(/['"\n]/, 1)[0]!.trim();
    if (rest !== "") setDescription(d, rest);
  }
  for (const name of REFINING_FIELDS) {
    const v = field(head, name, false);
    if (v !== undefined && v !== "") {
      if (name === "error_uri") d.error_uri = v;
      else d.extra[name] = v;
    }
  }
  const codes = /["']?error_codes["']?\s*[:=]\s*\[([\d,\s]{1,200})\]/i.exec(head);
  if (codes !== null) for (const n of codes[1]!.split(/[,\s]+/).filter(Boolean).slice(0, 20)) if (!d.providerCodes.includes(`AADSTS${n}`)) d.providerCodes.push(`AADSTS${n}`);
  return d;
}

/** oauthlib `(invalid_grant) Invalid code verifier.` and Spring Security `[invalid_grant] …`, on one line. */
function bracketed(head: string): Draft | undefined {
  for (const line of head.split("\n")) {
    const m = /(?:^|[\s:])[([]([a-z][a-z0-9]*(?:_[a-z0-9]+)+)[)\]]\s*(.{0,2000})/.exec(line.slice(0, 4096));
    if (m === null || !looksLikeErrorCode(m[1]!) || FIELD_NAMES.has(m[1]!)) continue;
    if (!ERRORISH_CODE.test(m[1]!) && !ERROR_LINE.test(line)) continue; // `(python_version) 3.12` is not an error
    const d = newDraft("provider-message", m[1]!);
    const rest = m[2]!.trim().replace(/^[:\-–—]\s*/, "");
    if (rest !== "") setDescription(d, rest);
    return d;
  }
  return undefined;
}

const PAGE_CODE_LABEL = /^\s*(?:error code|código de error|code d'erreur|fehlercode|codice di errore|código de erro)\s*:\s*([A-Za-z0-9_.-]{2,100})\s*$/i;
const PAGE_DESC_LABEL = /^\s*(?:description|descripción|descrizione|beschreibung|descrição)\s*:\s*(.+)$/i;
const PAGE_ERROR_LINE = /^\s*(?:\d{3}\.\s*That's an error\.\s*)?Error(?:\s+\d{3})?\s*:?\s+([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\.?\s*$/i;
const PAGE_STOP = /^\s*(?:request details|that's all we know|request id|correlation id|timestamp)\b/i;

/** Okta's page (`Error Code: …` then `Description: …`) and Google's (`Error 400: code` then its paragraphs). */
function errorPage(head: string): Draft | undefined {
  const lines = head.split("\n").map((l) => l.slice(0, 4096));
  for (let i = 0; i < lines.length; i++) {
    const label = PAGE_CODE_LABEL.exec(lines[i]!);
    if (label !== null && looksLikeErrorCode(label[1]!)) {
      const d = newDraft("provider-message", label[1]!);
      const desc = lines.slice(i + 1, i + 6).map((l) => PAGE_DESC_LABEL.exec(l)).find((m) => m !== null);
      if (desc) setDescription(d, desc[1]!.trim());
      return d;
    }
    const page = PAGE_ERROR_LINE.exec(lines[i]!);
    if (page !== null && looksLikeErrorCode(page[1]!)) {
      const d = newDraft("provider-message", page[1]!);
      const text: string[] = [];
      for (let j = i + 1; j < lines.length && j < i + 20 && text.length < 6; j++) {
        const l = lines[j]!.trim();
        if (PAGE_STOP.test(l)) break;
        if (l !== "" && !/^application\s*:/i.test(l)) text.push(l);
      }
      if (text.length > 0) setDescription(d, text.join(" "));
      return d;
    }
  }
  return undefined;
}

/**
 * Last resort, after the provider-message reader (which reads the first line and AADSTS codes):
 * `invalid_grant: expired access/refresh token` on any line of a log; many clients print `code: description`.
 */
export function parseCodeColonLine(text: string, ctx: Ctx): Draft[] | undefined {
  let d: Draft | undefined;
  for (const part of ends(text)) if ((d ??= codeColon(part)) !== undefined) break;
  if (d === undefined) return undefined;
  addProviderCodes(d, d.error_description ?? "");
  ctx.notes.push("read as pasted text: the error's fields were picked out of it");
  return [d];
}

const ERRORISH_CODE = /invalid|error|denied|expired|unauthori[sz]ed|unsupported|required|mismatch|revoked|^bad_|_not_|pending|slow_down/;
const ERROR_LINE = /\b(?:error|err|fail(?:ed|ure)?|exception|refused|rejected)\b/i;

function codeColon(head: string): Draft | undefined {
  for (const line of head.split("\n")) {
    const m = /(?:^|[\s\]>"'(])([a-z][a-z0-9]*(?:_[a-z0-9]+)+): (.{1,2000})/.exec(line.slice(0, 4096));
    if (m === null || FIELD_NAMES.has(m[1]!) || !looksLikeErrorCode(m[1]!)) continue;
    // Any log has `word_word: text` lines; only an error-shaped code, or a line that reports an error, counts.
    if (!ERRORISH_CODE.test(m[1]!) && !ERROR_LINE.test(line)) continue;
    const d = newDraft("provider-message", m[1]!);
    setDescription(d, m[2]!.trim().replace(/["'`]+$/, ""));
    return d;
  }
  return undefined;
}

/** The request a paste showed next to its error (see {@link requestShown}), read back with its type. */
export function pastedRequest(extra: Readonly<Record<string, unknown>>): Readonly<Record<string, string>> | undefined {
  const r = extra.request;
  if (typeof r !== "object" || r === null || Array.isArray(r)) return undefined;
  const entries = Object.entries(r).filter((e): e is [string, string] => typeof e[1] === "string");
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/** OAuth request parameters the paste shows (`Request details: redirect_uri=…`, `key=value` lines, a query string). */
export function requestShown(head: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  const re = /(?:^|[\s?&:])([a-z_]{4,30})=([^\s&"'<>]{0,2000})/g;
  for (let m = re.exec(head), i = 0; m !== null && i < 200; m = re.exec(head), i++) {
    const [, key, value] = m;
    if (REQUEST_PARAMS.has(key!) && !(key! in out)) {
      if (key === "code_verifier") {
        out[key] = "[redacted]"; // a verifier is a secret until spent: say it was there, never echo it
        continue;
      }
      try {
        out[key!] = decodeURIComponent(value!.replace(/\+/g, " "));
      } catch {
        out[key!] = value!;
      }
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
