/**
 * The total input parser behind `oauth-cli decode-error`: whatever the user pasted (a JSON body, a
 * form body or redirect URL, a WWW-Authenticate header, a `curl -i`/`curl -v` dump, a provider's
 * message or a bare code) becomes an {@link OAuthErrorReport}, or an "unrecognised" result with a
 * reason. It never throws and its work is capped, so any string (binary, 1 MiB, 100k `[`) is safe.
 *
 * Precedence, first match wins:
 *  1. an HTTP response (a status line `HTTP/1.1 400 …` / `< HTTP/2 401` near the top);
 *  2. a `WWW-Authenticate:` header line;
 *  3. JSON (the whole input, forgiving quotes, trailing commas, single quotes, Python literals);
 *  4. a redirect URL carrying `error` in the query or the fragment;
 *  5. a form body / query string with an `error` key;
 *  6. a bare WWW-Authenticate challenge (`Bearer error="…"`, `DPoP …`);
 *  7. the first balanced `{…}` inside a log line;
 *  8. a bare HTTP status (`401 Unauthorized`);
 *  9. a bare code (see {@link looksLikeErrorCode});
 * 10. a provider message (`AADSTS54005: …`, `error: invalid_grant (…)`, `invalid_grant: …`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2 (token error body)
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1 (authorization error redirect)
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3 (WWW-Authenticate for bearer tokens)
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.1 (DPoP challenges)
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-11.6.1 (challenge grammar)
 */
import { unescape as unescapeQuery } from "node:querystring";
import type { ErrorFormat, OAuthErrorReport } from "./types.js";

export type ParsedInput =
  | { readonly kind: "report"; readonly report: OAuthErrorReport; readonly notes: readonly string[] }
  | { readonly kind: "reports"; readonly reports: readonly OAuthErrorReport[]; readonly notes: readonly string[] }
  | { readonly kind: "unrecognised"; readonly reason: string };

/** Work caps: they keep the parser linear and bounded on any input. */
const MAX_INPUT = 4 * 1024 * 1024; // characters read at all
const MAX_HEAD = 64 * 1024; // where we look for a status line or a header line
const MAX_HTTP_LINES = 500; // lines before the status line, and header lines
const MAX_LINE = 8 * 1024; // a line is cut here before any regex sees it
const MAX_EMBED_SCAN = 512 * 1024; // longest `{…}` looked for inside a log
const MAX_EMBED_TRIES = 8;
const MAX_JSON_DEPTH = 1000;
const MAX_KEYS = 1000; // object keys / form pairs read
const MAX_WALK_NODES = 200; // objects visited looking for a nested error
const MAX_WALK_DEPTH = 4;
const MAX_TEXT_HEAD = 16 * 1024; // provider messages are looked for here
const MAX_CHALLENGES = 50;

/** Header and body-field names that carry a request / trace / correlation id. */
const REQUEST_ID_NAME = /request-?_?id|trace|correlation|cf-ray|cf-id|^errorid$/i;

interface MutableHttp {
  status?: number;
  statusText?: string;
  contentType?: string;
  requestIds: Record<string, string>;
  date?: string;
  wwwAuthenticate?: string;
}

interface Draft {
  format: ErrorFormat;
  error: string;
  error_description?: string;
  descriptions?: string[];
  error_uri?: string;
  state?: string;
  providerCodes: string[];
  http: MutableHttp;
  extra: Record<string, unknown>;
}

interface Ctx {
  readonly notes: string[];
  /** Why the closest recogniser said no; the first one set wins. */
  reason?: string;
}

type Obj = Record<string, unknown>;

/** Parses anything the user pasted. Total: never throws, bounded work. */
export function parseErrorInput(text: string): ParsedInput {
  const ctx: Ctx = { notes: [] };
  try {
    let t = typeof text === "string" ? text : String(text);
    if (t.length > MAX_INPUT) {
      t = t.slice(0, MAX_INPUT);
      ctx.notes.push(`only the first ${MAX_INPUT} characters were read`);
    }
    if (t.charCodeAt(0) === 0xfeff) t = t.slice(1);
    t = t.trim();
    if (t === "") return { kind: "unrecognised", reason: "the input is empty" };
    // Old-Mac line endings: make "\n" the one line separator the rest relies on.
    if (!t.slice(0, MAX_HEAD).includes("\n") && t.includes("\r")) t = t.replace(/\r/g, "\n");
    const drafts = parseHttpResponse(t, ctx) ?? parseText(t, ctx, 0);
    if (drafts === undefined || drafts.length === 0) return unrecognised(ctx);
    const reports = drafts.map(finishDraft);
    const notes = [...new Set(ctx.notes)];
    return reports.length === 1
      ? { kind: "report", report: reports[0]!, notes }
      : { kind: "reports", reports, notes };
  } catch (e) {
    return { kind: "unrecognised", reason: `the input could not be read (${errorName(e)})` };
  }
}

function unrecognised(ctx: Ctx): ParsedInput {
  const base =
    "no OAuth error found: expected a JSON error body, a form body or redirect URL with error=, " +
    "a WWW-Authenticate challenge, an HTTP response, a provider message (AADSTS…) or a bare error code";
  return { kind: "unrecognised", reason: ctx.reason === undefined ? base : `${ctx.reason}; ${base}` };
}

function errorName(e: unknown): string {
  try {
    return e instanceof Error ? e.name : typeof e;
  } catch {
    return "unknown error";
  }
}

// ---------------------------------------------------------------------------------------------
// Text: everything but an HTTP response

function parseText(input: string, ctx: Ctx, depth: number): Draft[] | undefined {
  if (depth > 3) return undefined;
  const t = unwrapQuotes(input);
  if (t === "") return undefined;
  const head = t.length > MAX_HEAD ? t.slice(0, MAX_HEAD) : t;

  const first = t[0];
  if (first === "{" || first === "[") {
    const parsed = parseJsonLenient(t);
    if (parsed !== undefined) {
      if (typeof parsed.value === "string") return parseText(parsed.value, ctx, depth + 1);
      const draft = draftFromJson(parsed.value, ctx);
      if (draft !== undefined) return [draft];
    }
  }

  const waAt = head.toLowerCase().indexOf("www-authenticate:");
  if (waAt >= 0) {
    const lineEnd = head.indexOf("\n", waAt);
    const value = head.slice(waAt + "www-authenticate:".length, lineEnd < 0 ? undefined : lineEnd).trim();
    const drafts = draftsFromChallenges(value, ctx);
    if (drafts !== undefined) return drafts;
  }

  return (
    parseRedirectUrl(t, ctx) ??
    parseForm(t, ctx) ??
    parseBareChallenge(t, ctx) ??
    parseEmbeddedJson(t, ctx) ??
    parseStatusOnly(t) ??
    parseBareCode(t, ctx) ??
    parseProviderMessage(head, ctx)
  );
}

/** `"…"`, `'…'`, `` `…` `` around the whole paste; a JSON string literal is decoded. */
function unwrapQuotes(input: string): string {
  let t = input;
  for (let i = 0; i < 2 && t.length >= 2; i++) {
    const q = t[0];
    if ((q !== '"' && q !== "'" && q !== "`") || t[t.length - 1] !== q) break;
    let inner: string | undefined;
    if (q === '"') {
      try {
        const v: unknown = JSON.parse(t);
        if (typeof v === "string") inner = v;
      } catch {
        // not a JSON string literal: just strip the quotes
      }
    }
    t = (inner ?? t.slice(1, -1)).trim();
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// Bare codes

const KNOWN_SINGLE_WORD_CODES = new Set(["unauthenticated", "UNAUTHENTICATED"]);

/**
 * The bare-code heuristic. A single token of [A-Za-z0-9_.-] is an error code when it is
 *  - lower snake_case with at least one underscore (`invalid_grant`, `bad_verification_code`), or
 *  - UPPER_SNAKE_CASE with at least one underscore (`INVALID_ARGUMENT`, `AN_UNKNOWN_ERROR_OCCURRED`), or
 *  - a provider code: 1–10 capital letters then 3+ digits (`AADSTS70008`, Okta's `E0000011`), or
 *  - one of a few known single-word codes (`UNAUTHENTICATED`).
 * Plain words (`hello`, `Unauthorized`, `Forbidden`) and numbers are not codes: an HTTP-status-ish
 * word is not enough to claim an OAuth error.
 */
export function looksLikeErrorCode(token: string): boolean {
  if (token.length < 2 || token.length > 100) return false;
  return (
    /^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/.test(token) ||
    /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(token) ||
    /^[A-Z]{1,10}\d{3,}$/.test(token) ||
    KNOWN_SINGLE_WORD_CODES.has(token)
  );
}

function parseBareCode(t: string, ctx: Ctx): Draft[] | undefined {
  if (t.length > 200 || !/^[A-Za-z0-9_.-]+$/.test(t)) return undefined;
  if (!looksLikeErrorCode(t)) {
    ctx.reason ??= `"${t}" is a single word but does not look like an error code (snake_case such as invalid_grant, or AADSTS70008)`;
    return undefined;
  }
  const d = newDraft("code", t);
  addProviderCodes(d, t);
  return [d];
}

/** `401`, `HTTP 401`, `403 Forbidden`: only a status, no OAuth error. */
function parseStatusOnly(t: string): Draft[] | undefined {
  if (t.length > 100) return undefined;
  const m = /^(?:HTTP(?:\/\d(?:\.\d)?)?\s+)?([1-5]\d\d)(?:\s+([A-Za-z][A-Za-z '-]{0,60}))?$/.exec(t);
  if (m === null) return undefined;
  const d = newDraft("http-status", "");
  d.http.status = Number(m[1]);
  if (m[2] !== undefined) d.http.statusText = m[2].trim();
  return [d];
}

// ---------------------------------------------------------------------------------------------
// Provider messages

function parseProviderMessage(head: string, ctx: Ctx): Draft[] | undefined {
  const aad = /AADSTS(\d{1,10})/.exec(head);
  if (aad !== null) return [draftFromAadsts(head, aad, ctx)];

  const lineEnd = head.indexOf("\n");
  const line = (lineEnd < 0 ? head : head.slice(0, lineEnd)).slice(0, 4096).trim();
  if (line === "") return undefined;

  // `error: invalid_grant (Code not valid)`, `error=invalid_grant error_description="…"`, `Error: x - y`
  const labelled = /\berror(?:[_ ]?code)?\s*[=:]\s*["']?([A-Za-z0-9_.-]{1,100})["']?/i.exec(line);
  if (labelled !== null && looksLikeErrorCode(labelled[1]!)) {
    const d = newDraft("provider-message", labelled[1]!);
    const desc = /\berror_description\s*[=:]\s*(?:"([^"]*)"|'([^']*)'|(\S+))/i.exec(line);
    const rest = desc !== null ? (desc[1] ?? desc[2] ?? desc[3] ?? "") : line.slice(labelled.index + labelled[0].length);
    setDescription(d, cleanDescription(rest));
    return [d];
  }

  // `invalid_grant: Invalid refresh_token`, `OAuth2Error: invalid_client: …`, `invalid_grant Code not valid`
  let pos = 0;
  for (let i = 0; i < 5; i++) {
    const m = /^\s*([A-Za-z0-9_.-]{1,100})\s*:\s*/.exec(line.slice(pos, pos + 200));
    if (m === null) break;
    if (looksLikeErrorCode(m[1]!)) {
      const d = newDraft("provider-message", m[1]!);
      setDescription(d, cleanDescription(line.slice(pos + m[0].length)));
      return [d];
    }
    pos += m[0].length;
  }
  const m = /^([A-Za-z0-9_.-]{1,100})(?:\s+|$)/.exec(line.slice(pos, pos + 200));
  if (m !== null && looksLikeErrorCode(m[1]!) && pos + m[0].length <= line.length && /\s/.test(line)) {
    const d = newDraft("provider-message", m[1]!);
    setDescription(d, cleanDescription(line.slice(pos + m[0].length)));
    return [d];
  }
  if (pos > 0) ctx.reason ??= "the message has no error code after its label";
  return undefined;
}

/** `AADSTS54005: OAuth2 Authorization code was already redeemed…\r\nTrace ID: … Correlation ID: … Timestamp: …` */
function draftFromAadsts(head: string, aad: RegExpExecArray, ctx: Ctx): Draft {
  const code = aad[0];
  const before = head.slice(Math.max(0, aad.index - 200), aad.index);
  const oauthCode = before
    .split(/[^A-Za-z0-9_.-]+/)
    .reverse()
    .find((tok) => /^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/.test(tok));
  const d = newDraft("provider-message", oauthCode ?? code);
  let message = head.slice(aad.index + code.length).replace(/^\s*[:\-–—]\s*/, "");
  const traceAt = message.search(/\b(?:Trace ID|Correlation ID|Timestamp)\s*:/i);
  if (traceAt >= 0) message = message.slice(0, traceAt);
  if (before.trimEnd().endsWith("(")) message = message.replace(/\)\s*$/, "");
  setDescription(d, message.replace(/\s+/g, " ").trim());
  addProviderCodes(d, head);
  const trace = /Trace ID\s*:\s*([A-Za-z0-9-]{1,100})/i.exec(head);
  if (trace !== null) d.http.requestIds.trace_id = trace[1]!;
  const corr = /Correlation ID\s*:\s*([A-Za-z0-9-]{1,100})/i.exec(head);
  if (corr !== null) d.http.requestIds.correlation_id = corr[1]!;
  const ts = /Timestamp\s*:\s*(\d[0-9T:.Z+ -]{0,40})/i.exec(head);
  if (ts !== null) d.extra.timestamp = ts[1]!.trim();
  if (oauthCode !== undefined) ctx.notes.push(`${oauthCode} is the OAuth error; ${code} is Microsoft Entra's own code`);
  return d;
}

function cleanDescription(s: string): string {
  let out = s.trim().replace(/^[:\-–—,;]\s*/, "").trim();
  if (out.startsWith("(") && out.endsWith(")")) out = out.slice(1, -1).trim();
  if ((out.startsWith('"') && out.endsWith('"')) || (out.startsWith("'") && out.endsWith("'"))) out = out.slice(1, -1);
  return out;
}

// ---------------------------------------------------------------------------------------------
// JSON

interface Parsed {
  readonly value: unknown;
}

/** JSON.parse, then a repaired copy (trailing commas, single quotes, Python literals). Never throws. */
function parseJsonLenient(input: string): Parsed | undefined {
  let s = input;
  while (s.length > 0 && (s.endsWith(",") || s.endsWith(";"))) s = s.slice(0, -1).trimEnd();
  if (!nestingWithin(s, MAX_JSON_DEPTH)) return undefined; // V8 takes ~0.2 s to reject 1M "["
  try {
    return { value: JSON.parse(s) };
  } catch {
    // fall through to the repaired copy
  }
  try {
    const repaired = repairJson(s);
    return repaired === s ? undefined : { value: JSON.parse(repaired) };
  } catch {
    return undefined;
  }
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** False as soon as brackets nest deeper than `max` (outside strings). No error body nests that deep. */
function nestingWithin(s: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return false;
    } else if (c === 125 || c === 93) depth--;
  }
  return true;
}

/** One linear pass; iterative, so deep nesting costs nothing extra. */
function repairJson(s: string): string {
  const out: string[] = [];
  let last = 0; // start of the run not yet copied
  let quote = ""; // "" outside strings, else '"' or "'"
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s[i]!;
    if (quote === '"') {
      if (c === "\\") i++;
      else if (c === '"') quote = "";
    } else if (quote === "'") {
      if (c === "\\") {
        out.push(s.slice(last, i), s[i + 1] === "'" ? "'" : s.slice(i, i + 2));
        i++;
        last = i + 1;
      } else if (c === "'" || c === '"') {
        out.push(s.slice(last, i), c === "'" ? '"' : '\\"');
        last = i + 1;
        if (c === "'") quote = "";
      }
    } else if (c === '"') {
      quote = '"';
    } else if (c === "'") {
      out.push(s.slice(last, i), '"');
      last = i + 1;
      quote = "'";
    } else if (c === ",") {
      let j = i + 1;
      while (j < n && (s[j] === " " || s[j] === "\n" || s[j] === "\r" || s[j] === "\t")) j++;
      if (s[j] === "}" || s[j] === "]") {
        out.push(s.slice(last, i));
        last = i + 1;
      }
    } else if (c === "T" || c === "F" || c === "N") {
      const word = c === "T" ? "True" : c === "F" ? "False" : "None";
      if (s.startsWith(word, i) && !isWordChar(s.charCodeAt(i + word.length)) && !isWordChar(s.charCodeAt(i - 1))) {
        out.push(s.slice(last, i), c === "T" ? "true" : c === "F" ? "false" : "null");
        i += word.length - 1;
        last = i + 1;
      }
    }
  }
  out.push(s.slice(last));
  return out.join("");
}

/** Object.keys once per object: a 100k-key dictionary costs tens of ms per call. */
const keyCache = new WeakMap<Obj, { readonly keys: readonly string[]; readonly total: number }>();
function keysOf(o: Obj): { readonly keys: readonly string[]; readonly total: number } {
  let entry = keyCache.get(o);
  if (entry === undefined) {
    const all = Object.keys(o);
    entry = { keys: all.length > MAX_KEYS ? all.slice(0, MAX_KEYS) : all, total: all.length };
    keyCache.set(o, entry);
  }
  return entry;
}

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function draftFromJson(value: unknown, ctx: Ctx): Draft | undefined {
  let v = value;
  if (Array.isArray(v)) {
    const firstObj = v.slice(0, 100).find(isObj);
    if (firstObj === undefined) {
      ctx.reason ??= "the JSON array holds no object";
      return undefined;
    }
    if (v.length > 1) ctx.notes.push(`the JSON array has ${v.length} items; read the first object`);
    v = firstObj;
  }
  if (!isObj(v)) {
    ctx.reason ??= "the JSON value is not an object";
    return undefined;
  }
  const direct = draftFromObject(v, ctx);
  if (direct !== undefined) return direct;

  // Wrapped errors (`{"response":{"data":{"error":…}}}`, a body kept as a string): breadth-first, bounded.
  const queue: { obj: Obj; path: string; depth: number }[] = [{ obj: v, path: "", depth: 0 }];
  let visited = 0;
  while (queue.length > 0 && visited < MAX_WALK_NODES) {
    const { obj, path, depth } = queue.shift()!;
    visited++;
    if (depth >= MAX_WALK_DEPTH) continue;
    for (const key of keysOf(obj).keys.slice(0, 100)) {
      let child = obj[key];
      if (typeof child === "string" && child.length < MAX_EMBED_SCAN && child.trimStart().startsWith("{")) {
        child = parseJsonLenient(child.trim())?.value;
      }
      if (Array.isArray(child)) child = child.slice(0, 20).find(isObj);
      if (!isObj(child)) continue;
      const childPath = path === "" ? key : `${path}.${key}`;
      const found = draftFromObject(child, ctx);
      if (found !== undefined) {
        ctx.notes.push(`read the error found under "${childPath}"`);
        return found;
      }
      queue.push({ obj: child, path: childPath, depth: depth + 1 });
    }
  }
  if ("access_token" in v || "id_token" in v) {
    ctx.reason = "this is a successful token response (it carries a token), not an error";
  } else {
    ctx.reason ??= `the JSON object has no error fields (keys: ${keysOf(v).keys.slice(0, 10).join(", ")})`;
  }
  return undefined;
}

/** Case-, underscore- and dash-insensitive key lookup: `ErrorCode`, `errorCode`, `error_code`. */
class Keys {
  private readonly map = new Map<string, string>();
  constructor(readonly obj: Obj) {
    for (const k of keysOf(obj).keys) {
      const norm = k.toLowerCase().replace(/[-_\s]/g, "");
      if (!this.map.has(norm) || k === norm) this.map.set(norm, k);
    }
  }
  key(...names: string[]): string | undefined {
    for (const n of names) {
      const k = this.map.get(n);
      if (k !== undefined) return k;
    }
    return undefined;
  }
  get(...names: string[]): unknown {
    const k = this.key(...names);
    return k === undefined ? undefined : this.obj[k];
  }
}

function scalar(v: unknown): string | undefined {
  return typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
}

/** The shape rules, in order. `undefined` means "not an error object". */
function draftFromObject(o: Obj, ctx: Ctx): Draft | undefined {
  const k = new Keys(o);
  const errorKey = k.key("error");
  const errorVal = errorKey === undefined ? undefined : o[errorKey];
  const codeKey = k.key("errorcode");

  // {"errors":[{…}]}: the first item
  const errorsKey = k.key("errors");
  if (errorKey === undefined && errorsKey !== undefined && Array.isArray(o[errorsKey])) {
    const items = o[errorsKey] as unknown[];
    const firstObj = items.slice(0, 20).find(isObj);
    if (firstObj !== undefined) {
      const inner = draftFromObject(firstObj, ctx) ?? draftFromGeneric(firstObj, new Keys(firstObj));
      if (inner !== undefined) {
        if (items.length > 1) ctx.notes.push(`the body lists ${items.length} errors; read the first`);
        collectRest(o, new Set([errorsKey]), inner, "");
        return inner;
      }
    }
  }

  // {"error":{"code":…,"message":…}} (Google APIs, Microsoft Graph, Facebook, generic)
  if (errorKey !== undefined && isObj(errorVal)) return draftFromNestedError(o, errorKey, errorVal, ctx);

  // {"ErrorCode":…,"Error":…}
  const errorText = scalar(errorVal);
  if (codeKey !== undefined && errorText !== undefined && !looksLikeErrorCode(errorText) && k.key("httpmeta") === undefined) {
    const d = newDraft("envelope", scalar(o[codeKey]) ?? "");
    setDescription(d, errorText);
    collectRest(o, new Set([codeKey, errorKey!]), d, "");
    return d;
  }

  // RFC 6749 §5.2, Entra, Auth0, Okta's OAuth endpoints; Slack's {"ok":false,"error":…}
  if (errorKey !== undefined && (typeof errorVal === "string" || typeof errorVal === "number")) {
    const slack = o.ok === false;
    const d = newDraft(slack ? "envelope" : "rfc6749", String(errorVal));
    const used = new Set([errorKey]);
    const descKey = k.key("errordescription");
    if (descKey !== undefined) {
      used.add(descKey);
      setDescription(d, o[descKey]);
    }
    const uriKey = k.key("erroruri");
    if (uriKey !== undefined && typeof o[uriKey] === "string") {
      used.add(uriKey);
      d.error_uri = o[uriKey] as string;
    }
    if (typeof o.state === "string") {
      used.add("state");
      d.state = o.state;
    }
    if (slack) used.add("ok");
    collectRest(o, used, d, "");
    addEntraCodes(d, k.get("errorcodes"));
    addProviderCodes(d, d.error_description ?? "");
    return d;
  }

  const httpMetaKey = k.key("httpmeta", "rawresponse");
  const descKey = k.key("errordescription");
  // seed 000: {"ErrorCode","ErrorDescription","HttpMeta":{"Response":{"StatusCode","Headers"},"Request":…}}
  if (httpMetaKey !== undefined || (codeKey !== undefined && descKey !== undefined)) {
    const d = newDraft("sdk-exception", scalar(codeKey === undefined ? undefined : o[codeKey]) ?? "");
    const used = new Set<string>();
    if (codeKey !== undefined) used.add(codeKey);
    if (descKey !== undefined) {
      used.add(descKey);
      setDescription(d, o[descKey]);
    }
    if (httpMetaKey !== undefined) {
      used.add(httpMetaKey);
      readHttpMeta(o[httpMetaKey], d);
    }
    collectRest(o, used, d, "");
    addProviderCodes(d, d.error_description ?? "");
    return d;
  }

  // seed 001 legacy: {"success":false,"errorMessage","errorDetails","errorCode"}
  const msgKey = k.key("errormessage");
  const detailsKey = k.key("errordetails");
  if (msgKey !== undefined || detailsKey !== undefined || (o.success === false && codeKey !== undefined)) {
    const d = newDraft("legacy-envelope", scalar(codeKey === undefined ? undefined : o[codeKey]) ?? "");
    const used = new Set<string>(["success"]);
    const parts: string[] = [];
    if (msgKey !== undefined) {
      used.add(msgKey);
      const m = scalar(o[msgKey]);
      if (m !== undefined && m !== "") parts.push(m);
    }
    if (codeKey !== undefined) used.add(codeKey);
    if (detailsKey !== undefined) {
      used.add(detailsKey);
      const det = o[detailsKey];
      const items = Array.isArray(det) ? det.slice(0, MAX_KEYS).map(scalar).filter((x) => x !== undefined) : [scalar(det)].filter((x) => x !== undefined);
      if (Array.isArray(det)) d.descriptions = items;
      parts.push(...items.filter((x) => x !== ""));
    }
    if (parts.length > 0) d.error_description = parts.join("; ");
    if (o.success !== false) used.delete("success");
    collectRest(o, used, d, "");
    return d;
  }

  // Okta management API {"errorCode":"E0000011","errorSummary":…}, {"ErrorCode":…} alone
  if (codeKey !== undefined) {
    const d = newDraft("envelope", scalar(o[codeKey]) ?? "");
    const used = new Set([codeKey]);
    const sumKey = k.key("errorsummary", "message", "description");
    if (sumKey !== undefined) {
      used.add(sumKey);
      setDescription(d, o[sumKey]);
    }
    const linkKey = k.key("errorlink");
    if (linkKey !== undefined && /^https?:/i.test(scalar(o[linkKey]) ?? "")) {
      used.add(linkKey);
      d.error_uri = o[linkKey] as string;
    }
    collectRest(o, used, d, "");
    return d;
  }

  if (o.success === true || o.ok === true) return undefined;
  return draftFromGeneric(o, k);
}

/** `{"message":…,"code":…}`, RFC 9457 problem details, GitHub's `{"message","documentation_url"}`. */
function draftFromGeneric(o: Obj, k: Keys): Draft | undefined {
  const msgKey = k.key("message", "errormessage", "msg", "detail", "title", "reason");
  const codeKey = k.key("code", "errortype", "type");
  let code = codeKey === undefined ? undefined : scalar(o[codeKey]);
  const ext = k.get("extensions");
  if (code === undefined && isObj(ext)) code = scalar(ext.code);
  if (msgKey === undefined && (code === undefined || !looksLikeErrorCode(code))) return undefined;
  if (msgKey === undefined && codeKey === undefined) return undefined;
  const d = newDraft("envelope", code ?? "");
  const used = new Set<string>();
  if (codeKey !== undefined && scalar(o[codeKey]) !== undefined) used.add(codeKey);
  if (msgKey !== undefined) {
    used.add(msgKey);
    setDescription(d, o[msgKey]);
  }
  const uriKey = k.key("documentationurl", "moreinfo", "helpurl");
  if (uriKey !== undefined && typeof o[uriKey] === "string") {
    used.add(uriKey);
    d.error_uri = o[uriKey] as string;
  }
  const status = k.get("status", "statuscode");
  if (typeof status === "number" && status >= 100 && status <= 599) d.http.status = status;
  collectRest(o, used, d, "");
  return d;
}

function draftFromNestedError(o: Obj, errorKey: string, inner: Obj, ctx: Ctx): Draft {
  const ik = new Keys(inner);
  const innerError = ik.key("error");
  if (innerError !== undefined && typeof inner[innerError] === "string") {
    const d = draftFromObject(inner, ctx)!;
    collectRest(o, new Set([errorKey]), d, "");
    return d;
  }
  const used = new Set<string>();
  const codeKey = ik.key("code", "errorcode");
  const statusKey = ik.key("status");
  const code = codeKey === undefined ? undefined : inner[codeKey];
  const status = statusKey === undefined ? undefined : inner[statusKey];
  const d = newDraft("envelope", "");
  if (typeof code === "number" && typeof status === "string") {
    // Google: {"code":401,"message":…,"status":"UNAUTHENTICATED"}
    d.error = status;
    if (code >= 100 && code <= 599) d.http.status = code;
    used.add(codeKey!).add(statusKey!);
  } else if (scalar(code) !== undefined) {
    d.error = scalar(code)!;
    used.add(codeKey!);
  } else if (typeof status === "string") {
    d.error = status;
    used.add(statusKey!);
  } else {
    const typeKey = ik.key("type");
    if (typeKey !== undefined && scalar(inner[typeKey]) !== undefined) {
      d.error = scalar(inner[typeKey])!;
      used.add(typeKey);
    }
  }
  const msgKey = ik.key("message", "errordescription", "description", "detail");
  if (msgKey !== undefined) {
    used.add(msgKey);
    setDescription(d, inner[msgKey]);
  }
  // Microsoft Graph keeps request ids in error.innerError
  const innerKey = ik.key("innererror");
  if (innerKey !== undefined && isObj(inner[innerKey])) {
    const ie = inner[innerKey] as Obj;
    for (const key of keysOf(ie).keys) {
      const v = scalar(ie[key]);
      if (v !== undefined && REQUEST_ID_NAME.test(key)) d.http.requestIds[key] = v;
    }
  }
  collectRest(o, new Set([errorKey]), d, "");
  collectRest(inner, used, d, "error.");
  addProviderCodes(d, d.error_description ?? "");
  return d;
}

/** seed 000's HttpMeta, read liberally: Response.StatusCode / statusCode / status, Headers / headers. */
function readHttpMeta(meta: unknown, d: Draft): void {
  if (!isObj(meta)) return;
  const mk = new Keys(meta);
  const resp = mk.get("response", "rawresponse");
  const r = isObj(resp) ? resp : meta;
  const rk = new Keys(r);
  const status = rk.get("statuscode", "status") ?? mk.get("statuscode", "status");
  const statusNum = typeof status === "string" ? Number(status) : status;
  if (typeof statusNum === "number" && Number.isInteger(statusNum) && statusNum >= 100 && statusNum <= 599) d.http.status = statusNum;
  const statusText = scalar(rk.get("statustext", "reasonphrase"));
  if (statusText !== undefined) d.http.statusText = statusText;
  const headers = rk.get("headers") ?? mk.get("headers");
  const pairs: [string, unknown][] = Array.isArray(headers)
    ? headers.slice(0, MAX_KEYS).filter((h): h is [string, unknown] => Array.isArray(h) && typeof h[0] === "string")
    : isObj(headers)
      ? Object.entries(headers).slice(0, MAX_KEYS)
      : [];
  for (const [name, raw] of pairs) {
    const value = Array.isArray(raw) ? raw.map(scalar).filter((x) => x !== undefined).join(", ") : scalar(raw);
    if (value !== undefined) applyHeader(d.http, name.toLowerCase(), value);
  }
  for (const key of [...keysOf(meta).keys.slice(0, 100), ...keysOf(r).keys.slice(0, 100)]) {
    const v = scalar(meta[key] ?? r[key]);
    if (v !== undefined && REQUEST_ID_NAME.test(key)) d.http.requestIds[key] = v;
  }
  const req = mk.get("request");
  if (isObj(req)) {
    const qk = new Keys(req);
    const method = scalar(qk.get("method"));
    const url = scalar(qk.get("url", "uri"));
    if (method !== undefined || url !== undefined) d.extra.request = { ...(method !== undefined && { method }), ...(url !== undefined && { url }) };
  }
}

/** Every key not used goes to extra (kept as sent); request-id-ish scalars go to http.requestIds. */
function collectRest(o: Obj, used: Set<string>, d: Draft, prefix: string): void {
  const { keys, total } = keysOf(o);
  for (const key of keys) {
    if (used.has(key)) continue;
    const v = o[key];
    const s = typeof v === "string" || typeof v === "number" ? String(v) : undefined;
    if (s !== undefined && REQUEST_ID_NAME.test(key)) d.http.requestIds[key] = s;
    else if (!(prefix + key in d.extra)) d.extra[prefix + key] = v;
  }
  if (total > keys.length) d.extra["…"] = `${total - keys.length} more fields not read`;
}

/** A string, or an array of strings joined with "; " (seed 001). */
function setDescription(d: Draft, v: unknown): void {
  if (Array.isArray(v)) {
    const items = v.slice(0, MAX_KEYS).map(scalar).filter((x): x is string => x !== undefined);
    d.descriptions = items;
    d.error_description = items.join("; ");
  } else {
    const s = scalar(v);
    if (s !== undefined && s !== "") d.error_description = s;
  }
}

function addProviderCodes(d: Draft, text: string): void {
  const re = /AADSTS\d{1,10}/g;
  const head = text.length > MAX_TEXT_HEAD ? text.slice(0, MAX_TEXT_HEAD) : text;
  for (let m = re.exec(head), i = 0; m !== null && i < 20; m = re.exec(head), i++) {
    if (!d.providerCodes.includes(m[0])) d.providerCodes.push(m[0]);
  }
}

/** Entra's `error_codes: [54005]` become `AADSTS54005` when the body is Entra's. */
function addEntraCodes(d: Draft, codes: unknown): void {
  if (!Array.isArray(codes)) return;
  const entra = (d.error_description ?? "").includes("AADSTS") || "trace_id" in d.http.requestIds;
  for (const c of codes.slice(0, 20)) {
    const s = scalar(c);
    if (s === undefined) continue;
    const code = entra && /^\d+$/.test(s) ? `AADSTS${s}` : s;
    if (!d.providerCodes.includes(code)) d.providerCodes.push(code);
  }
}

function parseEmbeddedJson(t: string, ctx: Ctx): Draft[] | undefined {
  let from = 0;
  for (let tries = 0; tries < MAX_EMBED_TRIES; tries++) {
    const open = t.indexOf("{", from);
    if (open < 0) return undefined;
    const close = matchBrace(t, open, Math.min(t.length, open + MAX_EMBED_SCAN));
    if (open === 0 && close === t.length - 1) return undefined; // the whole input: already read as JSON
    if (close < 0) {
      from = open + 1;
      continue;
    }
    const parsed = parseJsonLenient(t.slice(open, close + 1));
    if (parsed === undefined) {
      from = open + 1;
      continue;
    }
    const before = ctx.reason;
    const d = draftFromJson(parsed.value, ctx);
    if (d !== undefined) {
      if (open > 0) ctx.notes.push(`read the JSON object that starts at character ${open + 1}`);
      return [d];
    }
    if (before === undefined && !(ctx.reason ?? "").includes("successful")) ctx.reason = before;
    from = close + 1;
  }
  return undefined;
}

/** Index of the `}` closing the `{` at `open`, or -1. Iterative; aware of "strings". */
function matchBrace(t: string, open: number, limit: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < limit; i++) {
    const c = t.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return i;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Forms and redirect URLs

type Params = readonly (readonly [string, string])[];

/** `application/x-www-form-urlencoded` pairs; `+` is a space; bad `%` escapes are kept as written. */
function parseQuery(s: string): Params {
  const out: [string, string][] = [];
  let start = 0;
  while (start < s.length && out.length <= MAX_KEYS) {
    let amp = s.indexOf("&", start);
    if (amp < 0) amp = s.length;
    if (amp > start) {
      const eq = s.indexOf("=", start);
      const hasEq = eq >= 0 && eq < amp;
      out.push([decodeForm(s.slice(start, hasEq ? eq : amp)), hasEq ? decodeForm(s.slice(eq + 1, amp)) : ""]);
    }
    start = amp + 1;
  }
  return out;
}

function decodeForm(raw: string): string {
  const s = raw.includes("+") ? raw.split("+").join(" ") : raw; // split/join: ~5x faster than replaceAll on 1 MiB
  // querystring.unescape falls back to a byte-wise decoder on bad escapes instead of throwing.
  return s.includes("%") ? unescapeQuery(s) : s;
}

const has = (p: Params, key: string): boolean => p.some(([k]) => k === key);

function parseRedirectUrl(t: string, ctx: Ctx): Draft[] | undefined {
  if (!/^(?:[A-Za-z][A-Za-z0-9+.-]{0,30}:|\/)/.test(t) || /\s/.test(t)) return undefined;
  const hashAt = t.indexOf("#");
  const beforeHash = hashAt < 0 ? t : t.slice(0, hashAt);
  const queryAt = beforeHash.indexOf("?");
  if (queryAt < 0 && hashAt < 0) return undefined;
  const query = queryAt < 0 ? [] : parseQuery(beforeHash.slice(queryAt + 1));
  let hash = hashAt < 0 ? "" : t.slice(hashAt + 1);
  const q = hash.indexOf("?");
  if (q >= 0 && !hash.slice(0, q).includes("=")) hash = hash.slice(q + 1); // SPA routes: #/callback?error=…
  const fragment = parseQuery(hash);
  const params = has(query, "error") ? query : has(fragment, "error") ? fragment : undefined;
  if (params === undefined) {
    if (has(query, "code") || has(fragment, "code") || has(fragment, "access_token") || has(fragment, "id_token")) {
      ctx.reason ??= "this redirect carries a code or token (a success), not an error";
    } else ctx.reason ??= "the URL has no error parameter";
    return undefined;
  }
  if (has(query, "error") && has(fragment, "error")) ctx.notes.push("both the query and the fragment carry an error; read the query");
  const target = t.slice(0, Math.min(queryAt < 0 ? beforeHash.length : queryAt, 200));
  ctx.notes.push(`redirect to ${target}, error in the ${params === query ? "query" : "fragment"}`);
  return [draftFromParams(params, "redirect", ctx)];
}

function parseForm(t: string, ctx: Ctx): Draft[] | undefined {
  if (t.includes("\n")) return undefined;
  const s = t[0] === "?" || t[0] === "#" ? t.slice(1) : t;
  const eq = s.indexOf("=");
  if (eq <= 0 || eq > 100 || !/^[A-Za-z0-9_.%[\]-]+$/.test(s.slice(0, eq))) return undefined;
  const params = parseQuery(s);
  if (!has(params, "error")) {
    if (has(params, "code") || has(params, "access_token")) ctx.reason ??= "this form carries a code or token (a success), not an error";
    return undefined;
  }
  return [draftFromParams(params, "form", ctx)];
}

function draftFromParams(params: Params, format: ErrorFormat, ctx: Ctx): Draft {
  const d = newDraft(format, "");
  const seen = new Set<string>();
  for (const [key, value] of params.slice(0, MAX_KEYS)) {
    const known = key === "error" || key === "error_description" || key === "error_uri" || key === "state";
    if (known && seen.has(key)) {
      ctx.notes.push(`"${key}" appears more than once; read the first`);
      continue;
    }
    seen.add(key);
    if (key === "error") d.error = value;
    else if (key === "error_description") setDescription(d, value);
    else if (key === "error_uri") d.error_uri = value;
    else if (key === "state") d.state = value;
    else if (REQUEST_ID_NAME.test(key)) d.http.requestIds[key] = value;
    else if (key in d.extra) {
      const prev = d.extra[key];
      d.extra[key] = Array.isArray(prev) ? [...(prev as unknown[]), value] : [prev, value];
    } else d.extra[key] = value;
  }
  if (params.length > MAX_KEYS) d.extra["…"] = "more parameters not read";
  addProviderCodes(d, d.error_description ?? "");
  return d;
}

// ---------------------------------------------------------------------------------------------
// WWW-Authenticate (RFC 9110 §11.6.1)

interface Challenge {
  readonly scheme: string;
  token68?: string;
  readonly params: [string, string][];
}

const TCHAR = new Uint8Array(128);
const T68CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  const alnum = /[A-Za-z0-9]/.test(ch);
  TCHAR[c] = alnum || "!#$%&'*+-.^_`|~".includes(ch) ? 1 : 0;
  T68CHAR[c] = alnum || "-._~+/".includes(ch) ? 1 : 0;
}

/** A hand-written scanner: linear, no regex backtracking, always makes progress. */
export function parseChallenges(s: string): { challenges: Challenge[]; clean: boolean } {
  const n = s.length;
  const challenges: Challenge[] = [];
  let clean = true;
  let i = 0;
  const isT = (at: number): boolean => at < n && s.charCodeAt(at) < 128 && TCHAR[s.charCodeAt(at)] === 1;
  const isT68 = (at: number): boolean => at < n && s.charCodeAt(at) < 128 && T68CHAR[s.charCodeAt(at)] === 1;
  const skipWs = (): void => {
    while (i < n && (s[i] === " " || s[i] === "\t")) i++;
  };
  const skipWsComma = (): void => {
    while (i < n && (s[i] === " " || s[i] === "\t" || s[i] === ",")) i++;
  };
  const readToken = (): string => {
    const start = i;
    while (isT(i)) i++;
    return s.slice(start, i);
  };
  const readQuoted = (): string => {
    i++; // opening quote
    const parts: string[] = [];
    let start = i;
    while (i < n) {
      const c = s[i];
      if (c === "\\") {
        parts.push(s.slice(start, i), s[i + 1] ?? "");
        i += 2;
        start = i;
      } else if (c === '"') {
        parts.push(s.slice(start, i));
        i++;
        return parts.join("");
      } else i++;
    }
    clean = false; // unterminated: keep what there is
    parts.push(s.slice(start, Math.min(i, n)));
    return parts.join("");
  };

  outer: while (i < n && challenges.length < MAX_CHALLENGES) {
    skipWsComma();
    if (i >= n) break;
    const scheme = readToken();
    if (scheme === "") {
      clean = false;
      i++;
      continue;
    }
    const ch: Challenge = { scheme, params: [] };
    challenges.push(ch);
    skipWs();
    // token68: `Negotiate abc==` (the candidate is followed by the end or a comma)
    const start = i;
    while (isT68(i)) i++;
    while (i < n && s[i] === "=") i++;
    if (i > start) {
      const end = i;
      skipWs();
      if (i >= n || s[i] === ",") ch.token68 = s.slice(start, end);
      else i = start;
    }
    if (ch.token68 !== undefined) continue;
    while (i < n) {
      const save = i;
      skipWsComma();
      if (i >= n) break;
      const name = readToken();
      if (name === "") {
        clean = false;
        i++;
        continue;
      }
      skipWs();
      if (s[i] !== "=") {
        i = save; // not a parameter: the next challenge starts here
        continue outer;
      }
      i++;
      skipWs();
      let value: string;
      if (s[i] === '"') value = readQuoted();
      else {
        value = readToken();
        if (value === "" && i < n && s[i] !== ",") {
          clean = false;
          const startBad = i;
          while (i < n && s[i] !== "," && s[i] !== " ") i++;
          value = s.slice(startBad, i);
        }
      }
      ch.params.push([name.toLowerCase(), value]);
    }
  }
  return { challenges, clean };
}

const KNOWN_SCHEMES = new Set(["bearer", "dpop", "basic", "digest", "negotiate", "ntlm", "mutual", "hoba", "gnap", "privatetoken", "vapid", "concealed", "newauth", "aws4-hmac-sha256"]);

function draftsFromChallenges(value: string, ctx: Ctx): Draft[] | undefined {
  const raw = value.length > MAX_LINE * 8 ? value.slice(0, MAX_LINE * 8) : value;
  const { challenges, clean } = parseChallenges(raw);
  if (challenges.length === 0) return undefined;
  if (!clean) ctx.notes.push("the WWW-Authenticate value is not well formed; read what could be read");
  return challenges.map((c) => draftFromChallenge(c, raw, ctx));
}

function draftFromChallenge(c: Challenge, raw: string, ctx: Ctx): Draft {
  const d = newDraft("www-authenticate", "");
  d.extra.scheme = c.scheme;
  if (c.token68 !== undefined) d.extra.token68 = c.token68;
  const seen = new Set<string>();
  for (const [name, value] of c.params) {
    if (seen.has(name)) {
      ctx.notes.push(`"${name}" appears more than once in the ${c.scheme} challenge; read the first`);
      continue;
    }
    seen.add(name);
    if (name === "error") d.error = value;
    else if (name === "error_description") setDescription(d, value);
    else if (name === "error_uri") d.error_uri = value;
    else d.extra[name] = value;
  }
  d.http.wwwAuthenticate = raw;
  addProviderCodes(d, d.error_description ?? "");
  return d;
}

/** `Bearer realm="x", error="invalid_token"` without the header name: only for known schemes or with error=. */
function parseBareChallenge(t: string, ctx: Ctx): Draft[] | undefined {
  if (t.includes("\n") || t.length > MAX_HEAD) return undefined;
  const { challenges, clean } = parseChallenges(t);
  const first = challenges[0];
  if (first === undefined || !clean) return undefined;
  if (first.params.length === 0 && first.token68 === undefined) return undefined;
  const plausible = challenges.every((c) => KNOWN_SCHEMES.has(c.scheme.toLowerCase()) || c.params.some(([k]) => k === "error"));
  if (!plausible) return undefined;
  return challenges.map((c) => draftFromChallenge(c, t, ctx));
}

// ---------------------------------------------------------------------------------------------
// HTTP responses as `curl -i` / `curl -v` print them

const STATUS_LINE = /^HTTP\/\d(?:\.\d)?\s+(\d{3})(?:\s+(.*))?$/;

interface Line {
  readonly text: string;
  readonly start: number;
  readonly next: number;
}

function readLine(t: string, pos: number): Line {
  const nl = t.indexOf("\n", pos);
  const end = nl < 0 ? t.length : nl;
  let text = t.slice(pos, Math.min(end, pos + MAX_LINE));
  if (text.endsWith("\r")) text = text.slice(0, -1);
  return { text, start: pos, next: nl < 0 ? t.length : nl + 1 };
}

/** Strips curl -v's `< ` prefix; `undefined` for lines curl -v adds that are not the response. */
function responseLine(text: string, verbose: boolean): string | undefined {
  if (text.startsWith("<")) return text.slice(text.startsWith("< ") ? 2 : 1);
  if (verbose && (text.startsWith("* ") || text.startsWith("> ") || text === ">" || text === "*" || /^[{}] \[/.test(text))) return undefined;
  return text;
}

function parseHttpResponse(t: string, ctx: Ctx): Draft[] | undefined {
  // Find the status line near the top (curl -v puts `*` and `>` lines before it).
  let pos = 0;
  let found: { status: RegExpExecArray; next: number; verbose: boolean } | undefined;
  for (let i = 0; i < MAX_HTTP_LINES && pos < t.length && pos < MAX_HEAD; i++) {
    const line = readLine(t, pos);
    const verbose = line.text.startsWith("<");
    const s = responseLine(line.text, verbose);
    const m = s === undefined ? null : STATUS_LINE.exec(s.trimEnd());
    if (m !== null) {
      found = { status: m, next: line.next, verbose };
      break;
    }
    pos = line.next;
  }
  if (found === undefined) return undefined;

  let { status, next: p } = found;
  const verbose = found.verbose || t.slice(0, found.next).includes("\n> ");
  let headers: [string, string][] = [];
  let bodyStart = t.length;
  for (let guard = 0; guard < 20; guard++) {
    headers = [];
    bodyStart = t.length;
    let lines = 0;
    while (p < t.length && lines++ < MAX_HTTP_LINES) {
      const line = readLine(t, p);
      const isPrefixed = line.text.startsWith("<");
      const s = responseLine(line.text, verbose);
      if (s === undefined) {
        p = line.next;
        continue;
      }
      if (verbose && !isPrefixed && s.trim() !== "") {
        bodyStart = line.start; // curl -v: the body is not prefixed
        break;
      }
      if (s.trim() === "") {
        p = line.next;
        bodyStart = p;
        break;
      }
      if ((s[0] === " " || s[0] === "\t") && headers.length > 0) {
        const lastHeader = headers[headers.length - 1]!;
        lastHeader[1] = `${lastHeader[1]} ${s.trim()}`; // obsolete line folding
      } else {
        const colon = s.indexOf(":");
        if (colon <= 0) {
          bodyStart = line.start; // no blank line before the body
          break;
        }
        headers.push([s.slice(0, colon).trim().toLowerCase(), s.slice(colon + 1).trim()]);
      }
      p = line.next;
    }
    // Another response follows (100 Continue, a proxy's CONNECT, curl -L): read the last one.
    let q = bodyStart;
    while (q < t.length) {
      const line = readLine(t, q);
      const s = responseLine(line.text, verbose);
      if (s === undefined || s.trim() === "") {
        q = line.next;
        continue;
      }
      break;
    }
    const nextLine = q < t.length ? readLine(t, q) : undefined;
    const nextStatus = nextLine === undefined ? null : STATUS_LINE.exec((responseLine(nextLine.text, verbose) ?? "").trimEnd());
    if (nextStatus === null || nextLine === undefined) break;
    status = nextStatus;
    p = nextLine.next;
  }

  const http: MutableHttp = { requestIds: {}, status: Number(status[1]) };
  const statusText = status[2]?.trim();
  if (statusText) http.statusText = statusText;
  const headerExtra: Record<string, string> = {};
  for (const [name, value] of headers) {
    applyHeader(http, name, value);
    if (name === "dpop-nonce" || name === "retry-after") headerExtra[name] = value;
  }
  const location = headers.find(([name]) => name === "location")?.[1];

  let body = bodyStart < t.length ? t.slice(bodyStart) : "";
  if (verbose) body = body.split("\n").filter((l) => responseLine(l, true) !== undefined).join("\n");
  body = body.trim();

  let fromBody: Draft[] | undefined;
  if (body !== "") {
    const html = (http.contentType ?? "").includes("html") || body.startsWith("<");
    if (html) {
      const head = body.length > MAX_HEAD ? body.slice(0, MAX_HEAD) : body;
      const aad = /AADSTS(\d{1,10})/.exec(head);
      if (aad !== null) fromBody = [draftFromAadsts(head.slice(aad.index).split("<")[0]!, /AADSTS(\d{1,10})/.exec(head.slice(aad.index))!, ctx)];
      else ctx.notes.push("the body is HTML; it was not read");
    } else {
      const bodyCtx: Ctx = { notes: [] };
      fromBody = parseText(body, bodyCtx, 1);
      ctx.notes.push(...bodyCtx.notes);
      if (fromBody === undefined) ctx.notes.push(`the body holds no OAuth error${bodyCtx.reason === undefined ? "" : ` (${bodyCtx.reason})`}`);
    }
  }
  const fromLocation = location === undefined ? undefined : parseRedirectUrl(location, { notes: ctx.notes });
  const fromHeader = http.wwwAuthenticate === undefined ? undefined : draftsFromChallenges(http.wwwAuthenticate, ctx);

  const hasError = (ds: Draft[] | undefined): boolean => ds !== undefined && ds.some((d) => d.error !== "");
  let drafts: Draft[];
  if (fromBody !== undefined && (fromBody[0]!.format === "rfc6749" || hasError(fromBody))) drafts = fromBody;
  else if (hasError(fromLocation)) drafts = fromLocation!;
  else if (hasError(fromHeader)) drafts = fromHeader!;
  else if (fromBody === undefined && fromHeader === undefined && http.status! < 400) {
    ctx.reason = `the response status is ${http.status}, not an error, and it carries no OAuth error`;
    return [];
  } else drafts = fromBody ?? fromHeader ?? [newDraft("http-status", "")];

  for (const d of drafts) {
    d.http = { ...http, ...dropUndefined(d.http), requestIds: { ...http.requestIds, ...d.http.requestIds } };
    if (http.status !== undefined) d.http.status = http.status;
    for (const [name, value] of Object.entries(headerExtra)) if (!(name in d.extra)) d.extra[name] = value;
  }
  if (fromBody !== undefined && drafts !== fromBody && hasError(fromBody)) ctx.notes.push("the body also carries an error");
  return drafts;
}

function applyHeader(http: MutableHttp, name: string, value: string): void {
  const lower = name.toLowerCase();
  if (lower === "content-type") http.contentType = value;
  else if (lower === "date") http.date = value;
  else if (lower === "www-authenticate") http.wwwAuthenticate = http.wwwAuthenticate === undefined ? value : `${http.wwwAuthenticate}, ${value}`;
  else if (REQUEST_ID_NAME.test(lower)) http.requestIds[lower] = value;
}

// ---------------------------------------------------------------------------------------------
// Drafts → reports

function newDraft(format: ErrorFormat, error: string): Draft {
  return { format, error, providerCodes: [], http: { requestIds: {} }, extra: {} };
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function finishDraft(d: Draft): OAuthErrorReport {
  const h = d.http;
  const hasHttp =
    h.status !== undefined ||
    h.statusText !== undefined ||
    h.contentType !== undefined ||
    h.date !== undefined ||
    h.wwwAuthenticate !== undefined ||
    Object.keys(h.requestIds).length > 0;
  return {
    format: d.format,
    error: d.error,
    ...(d.error_description !== undefined && { error_description: d.error_description }),
    ...(d.descriptions !== undefined && { descriptions: d.descriptions }),
    ...(d.error_uri !== undefined && { error_uri: d.error_uri }),
    ...(d.state !== undefined && { state: d.state }),
    ...(d.providerCodes.length > 0 && { providerCodes: d.providerCodes }),
    ...(hasHttp && { http: { ...dropUndefined(h), requestIds: h.requestIds } }),
    extra: d.extra,
  };
}

// ---------------------------------------------------------------------------------------------
// Entry points for bodies already split out of an HTTP response (the token client uses these, so
// `oauth-cli exchange` and `oauth-cli decode-error` read a provider's error the same way)

/** True for a header or field name that carries a request / trace / correlation id. */
export function isRequestIdName(name: string): boolean {
  return REQUEST_ID_NAME.test(name);
}

/**
 * Reads an error out of a parsed JSON body, whatever shape the provider used (the rules of
 * {@link parseErrorInput} step 3). Never throws; `undefined` when the value holds no error.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function readErrorJson(value: unknown): OAuthErrorReport | undefined {
  try {
    const d = draftFromJson(value, { notes: [] });
    return d === undefined ? undefined : finishDraft(d);
  } catch {
    return undefined;
  }
}

/**
 * Reads an error out of form pairs (a form-encoded body, or a redirect's query or fragment).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export function readErrorParams(params: Iterable<readonly [string, string]>, format: "form" | "redirect"): OAuthErrorReport | undefined {
  try {
    const pairs: [string, string][] = [];
    for (const [k, v] of params) {
      pairs.push([k, v]);
      if (pairs.length > MAX_KEYS) break;
    }
    if (!has(pairs, "error")) return undefined;
    return finishDraft(draftFromParams(pairs, format, { notes: [] }));
  } catch {
    return undefined;
  }
}
