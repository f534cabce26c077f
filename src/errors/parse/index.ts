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
 *  9. a bare code (see looksLikeErrorCode in codes.ts);
 * 10. a provider message (`AADSTS54005: …`, `error: invalid_grant (…)`, `invalid_grant: …`).
 *
 * Where each lives: 1 in http-dump.ts; 2–10 are tried in that order by text.ts (which reads 8–10
 * itself), 2 and 6 in www-authenticate.ts, 3 and 7 in json.ts (object shapes in json-shapes.ts),
 * 4 and 5 in form.ts. The work caps are in scan.ts; draft.ts builds the report.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2 (token error body)
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1 (authorization error redirect)
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3 (WWW-Authenticate for bearer tokens)
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.1 (DPoP challenges)
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-11.6.1 (challenge grammar)
 */
import type { OAuthErrorReport } from "../types.js";
import { type Ctx, finishDraft } from "./draft.js";
import { parseHttpResponse } from "./http-dump.js";
import { MAX_HEAD, MAX_INPUT } from "./scan.js";
import { requestShown } from "./pasted.js";
import { parseBareCode, parseText } from "./text.js";

export type ParsedInput =
  | { readonly kind: "report"; readonly report: OAuthErrorReport; readonly notes: readonly string[] }
  | { readonly kind: "reports"; readonly reports: readonly OAuthErrorReport[]; readonly notes: readonly string[] }
  | { readonly kind: "unrecognised"; readonly reason: string };

/**
 * A lowercase snake_case word with an underscore (invalid_grant): the commonest paste, and only a
 * bare code (9) reads as one; each earlier reading needs something it lacks (a space, `=`, `:`,
 * `?`, `{`, a leading digit or capital). So it goes to 9 at once, without the other parsers and the
 * regular expressions they compile on first use (test/errors/parse: the same report either way).
 */
const SNAKE_CASE_WORD = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/;

/** Parses anything the user pasted. Total: never throws, bounded work. */
export function parseErrorInput(text: string, options: { readonly bareCodeShortcut?: boolean } = {}): ParsedInput {
  if (options.bareCodeShortcut !== false && typeof text === "string" && text.length <= 200) {
    const word = text.trim();
    const quick: Ctx = { notes: [] };
    const drafts = SNAKE_CASE_WORD.test(word) ? parseBareCode(word, quick) : undefined;
    if (drafts?.length === 1) return { kind: "report", report: finishDraft(drafts[0]!), notes: [...new Set(quick.notes)] };
  }
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
    // A request shown next to the error (`grant_type=refresh_token …`, Google's "Request details"):
    // kept apart from the error's own fields so the diagnosis can use both.
    const request = drafts[0]!.format === "form" || drafts[0]!.format === "redirect" ? undefined : requestShown(t.slice(0, MAX_HEAD));
    if (request !== undefined) for (const d of drafts) d.extra.request ??= request;
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
