/**
 * Everything but an HTTP response: {@link parseText} tries the recognisers in parseErrorInput's
 * order (steps 2–10) and holds the ones for plain text: bare HTTP statuses, bare codes and
 * provider messages (`AADSTS54005: …`, `error: invalid_grant (…)`, `invalid_grant: …`).
 */
import { addProviderCodes, looksLikeErrorCode } from "./codes.js";
import { type Ctx, type Draft, newDraft, setDescription } from "./draft.js";
import { parseForm, parseRedirectUrl } from "./form.js";
import { draftFromJson, parseEmbeddedJson } from "./json.js";
import { FIELD_NAMES, parseCodeColonLine, parsePasted } from "./pasted.js";
import { MAX_HEAD, parseJsonLenient } from "./scan.js";
import { draftsFromChallenges, parseBareChallenge } from "./www-authenticate.js";

/** Steps 2–10 of parseErrorInput; `depth` bounds a JSON string holding JSON (and an HTTP body). */
export function parseText(input: string, ctx: Ctx, depth: number): Draft[] | undefined {
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

  const params = parseRedirectUrl(t, ctx) ?? parseForm(t, ctx);
  if (params !== undefined) return params.map((d) => errorInsideError(d, ctx, depth));

  return (
    parseBareChallenge(t, ctx) ??
    parseEmbeddedJson(t, ctx) ??
    parseStatusOnly(t) ??
    parsePasted(t, ctx) ??
    parseBareCode(t, ctx) ??
    parseProviderMessage(head, ctx) ??
    parseCodeColonLine(t, ctx)
  );
}

/**
 * A redirect's `error` that is itself a whole error string (a client that failed the exchange and
 * redirected with the message: `?error=invalid_grant%3A+Code+not+valid`, or a JSON body): read it.
 */
function errorInsideError(d: Draft, ctx: Ctx, depth: number): Draft {
  if (looksLikeErrorCode(d.error) || !/[\s{:(]/.test(d.error)) return d;
  const inner = parseText(d.error, ctx, depth + 1)?.[0];
  if (inner === undefined || inner.error === "" || inner.format === "http-status") return d;
  ctx.notes.push(`the error parameter holds a whole error message; read ${inner.error} from it`);
  return { ...d, error: inner.error, ...(inner.error_description !== undefined && d.error_description === undefined && { error_description: inner.error_description }), providerCodes: [...new Set([...d.providerCodes, ...inner.providerCodes])], extra: { ...inner.extra, ...d.extra } };
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

export function parseBareCode(t: string, ctx: Ctx): Draft[] | undefined {
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
    setDescription(d, cleanDescription(rest) || nextLineDescription(head, lineEnd));
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
  if (m !== null && looksLikeErrorCode(m[1]!) && /\s/.test(line)) {
    const d = newDraft("provider-message", m[1]!);
    setDescription(d, cleanDescription(line.slice(pos + m[0].length)));
    return [d];
  }
  if (pos > 0) ctx.reason ??= "the message has no error code after its label";
  return undefined;
}

/** `AADSTS54005: OAuth2 Authorization code was already redeemed…\r\nTrace ID: … Correlation ID: … Timestamp: …` */
export function draftFromAadsts(head: string, aad: RegExpExecArray, ctx: Ctx): Draft {
  const code = aad[0];
  const before = head.slice(Math.max(0, aad.index - 200), aad.index);
  const oauthCode = before
    .split(/[^A-Za-z0-9_.-]+/)
    .reverse()
    .find((tok) => /^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/.test(tok) && !FIELD_NAMES.has(tok));
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

/**
 * The description when the code's line has none: an `error_description:` line among the next few
 * (OpenIddict prints one field a line), else the next non-empty line unless it is another field.
 */
function nextLineDescription(head: string, lineEnd: number): string {
  if (lineEnd < 0) return "";
  const next = head.slice(lineEnd + 1, lineEnd + 1 + 8192).split("\n", 6).map((l) => l.trim());
  for (const l of next) {
    const m = /^error_description\s*[:=]\s*(.+)$/i.exec(l);
    if (m !== null) return cleanDescription(m[1]!);
  }
  const first = next.find((l) => l !== "");
  return first === undefined || /^[A-Za-z_][\w-]{0,40}\s*[:=]/.test(first) ? "" : cleanDescription(first);
}

function cleanDescription(s: string): string {
  let out = s.trim().replace(/^[:\-–—,;]\s*/, "").trim();
  if (out.startsWith("(") && out.endsWith(")")) out = out.slice(1, -1).trim();
  if ((out.startsWith('"') && out.endsWith('"')) || (out.startsWith("'") && out.endsWith("'"))) out = out.slice(1, -1);
  return out;
}
