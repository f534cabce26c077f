/**
 * HTTP responses as `curl -i` / `curl -v` print them: the last status line near the top, its
 * headers, and an error from the body, the Location redirect or WWW-Authenticate, in that order.
 * @see https://www.rfc-editor.org/rfc/rfc9112#section-4
 */
import { type Ctx, type Draft, type MutableHttp, applyHeader, dropUndefined, newDraft } from "./draft.js";
import { parseRedirectUrl } from "./form.js";
import { MAX_HEAD, MAX_HTTP_LINES, MAX_LINE } from "./scan.js";
import { draftFromAadsts, parseText } from "./text.js";
import { draftsFromChallenges } from "./www-authenticate.js";

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

/** `undefined` when no status line is near the top; `[]` for a non-error response with no OAuth error. */
export function parseHttpResponse(t: string, ctx: Ctx): Draft[] | undefined {
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
