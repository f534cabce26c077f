/**
 * Form-encoded errors: a form body or query string with an `error` key, and a redirect URL carrying
 * `error` in its query or fragment (also the token client's {@link readErrorParams}).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.2.2.1
 */
import { unescape as unescapeQuery } from "node:querystring";
import type { ErrorFormat, OAuthErrorReport } from "../types.js";
import { addProviderCodes } from "./codes.js";
import { type Ctx, type Draft, REQUEST_ID_NAME, finishDraft, newDraft, setDescription } from "./draft.js";
import { MAX_KEYS } from "./scan.js";

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

/** A URL (no spaces) with `error` in its query or, failing that, its fragment. */
export function parseRedirectUrl(t: string, ctx: Ctx): Draft[] | undefined {
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

/** One line of `key=value&…` (optionally after `?` or `#`) with an `error` key. */
export function parseForm(t: string, ctx: Ctx): Draft[] | undefined {
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

/**
 * Reads an error out of form pairs (a form-encoded body, or a redirect's query or fragment), as
 * parseErrorInput does; the token client uses it. Never throws; `undefined` without `error`.
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
