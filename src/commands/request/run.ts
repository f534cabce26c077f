import type { Context } from "../../context.js";
import { CliError, ExitCode, InterruptedError, NetworkError, UsageError } from "../../errors/cli-error.js";
import { openAtomicFile, UnsafeFileError } from "../../fs/safe-file.js";
import { networkFailure } from "../../http/failure.js";
import type { HttpExchange, HttpRequest, StreamedExchange, StreamedResponse } from "../../http/types.js";
import { isLoopbackHost } from "../../loopback/host.js";
import { bearerAuthorization, bearerChallengeError } from "../../oauth/bearer.js";
import { redactHeader } from "../../output/redact.js";
import { expandPath } from "../shared/paths.js";
import { sessionOptions } from "../shared/resolve.js";
import { Session } from "../shared/session.js";
import { accessOf } from "../shared/stored-access.js";
import { challengeAsksForNonce, dpopAuthorization, refuseDpopHeader } from "../shared/dpop.js";
import { withoutProfileStore } from "../shared/token-source.js";
import { readRequestBody } from "./body.js";
import type { RequestOptions } from "./flags.js";

/** How much of a refused answer's body is shown on stderr when the body is not going to stdout. */
const SHOWN_ERROR_BODY = 4096;

/**
 * Calls an API with the access token: the token (given, or the store's, refreshed first) → the
 * request → status and headers (traced with -i/-v) → the body streamed to stdout or --out → the
 * exit code from the status, a refusal explained from its WWW-Authenticate challenge.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export async function runRequest(ctx: Context, target: string, given: RequestOptions, storeFromProfile = false): Promise<void> {
  const opts = withoutProfileStore(given, storeFromProfile, given.accessToken !== undefined || !!ctx.env.OAUTH_ACCESS_TOKEN);
  const session = new Session(ctx, sessionOptions({ ...opts, header: undefined }));
  const url = checkApiUrl(session, target);
  const headers = parseApiHeaders(opts.header);
  if (headers.some(([name]) => name.toLowerCase() === "authorization")) {
    throw new UsageError("--header: Authorization carries the access token; give the token with --access-token or --store instead");
  }
  const method = (opts.method ?? (opts.data !== undefined ? "POST" : "GET")).toUpperCase();
  if (!/^[!#$%&'*+.^_`|~0-9A-Z-]+$/.test(method)) throw new UsageError(`--method: "${opts.method}" is not an HTTP method`);
  const out = opts.out === undefined ? undefined : expandPath(ctx, opts.out);
  // Before the token: a body from standard input and a token from standard input cannot both be read.
  const body = opts.data === undefined ? undefined : await readRequestBody(session, opts.data);
  const access = await accessOf(session, opts);
  if (access.dpop) refuseDpopHeader(headers.map(([name]) => name));

  const sent: Record<string, string> = { Accept: "*/*" };
  if (body && !headers.some(([name]) => name.toLowerCase() === "content-type")) sent["Content-Type"] = body.contentType;
  for (const [name, value] of headers) {
    for (const existing of Object.keys(sent)) if (existing.toLowerCase() === name.toLowerCase()) delete sent[existing];
    sent[name] = value;
  }
  // A DPoP-bound token goes with its own scheme and a fresh proof carrying its hash (RFC 9449 §7.1).
  sent.Authorization = access.dpop ? dpopAuthorization(access.token) : bearerAuthorization(access.token);
  const stream = ctx.http.stream?.bind(ctx.http);
  if (!stream) throw new Error("runRequest: this HTTP client cannot stream");
  const send = async (): Promise<StreamedExchange> => {
    if (ctx.signal.aborted) throw new InterruptedError();
    const proof = access.dpop && (await access.dpop.proof({ htm: method, htu: url, accessToken: access.token }, ctx.now()));
    const sending = await stream({ method, url, headers: proof ? { ...sent, DPoP: proof } : sent, body: body?.text }, { timeoutMs: session.options.timeoutMs, caFile: session.options.caFile, signal: ctx.signal });
    if (sending.failure?.kind === "aborted") throw new InterruptedError();
    access.dpop?.rememberNonce(url, sending.response && { ...sending.response, body: "", truncated: false });
    traceHead(session, sending, !!opts.include, body?.text);
    return sending;
  };
  let exchange = await send();
  // A resource server that wants a nonce in the proof says so in a 401 challenge: one retry with it (RFC 9449 §9).
  if (access.dpop && exchange.response?.status === 401 && challengeAsksForNonce(exchange.response.headers)) {
    await bodyHead(exchange.response);
    exchange = await send();
  }
  if (exchange.failure || !exchange.response) throw networkFailure(asExchange(exchange, body?.text), "the API");
  const response = exchange.response;

  const success = response.status >= 200 && response.status < 300;
  const redirect = response.status >= 300 && response.status < 400;
  // --out takes a 2xx body only: an error or redirect page never replaces the file.
  if (success || out === undefined) await copyBody(session, response, success ? out : undefined);
  if (redirect) {
    session.note(`HTTP ${response.status}: not followed${response.headers.location ? ` (Location: ${response.headers.location})` : ""}; the token is only sent where you point it${out === undefined ? "" : `; ${out} was left as it was`}`);
  }
  if (success || redirect) return;
  const shown = out === undefined ? "" : await bodyHead(response);
  const refusal = bearerChallengeError(asExchange(exchange, body?.text, shown), { ...response, body: shown, truncated: false });
  if (refusal) throw refusal;
  throw new CliError(ExitCode.oauth, `the API answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`, {
    details: shown ? [`  ${shown.replace(/\s+/g, " ").trim().slice(0, 300)}`] : [],
    hint: response.status === 401 || response.status === 403
      ? "No WWW-Authenticate challenge says why (RFC 6750 §3): check the token is for this API (its audience and scope, e.g. with introspect)."
      : out === undefined ? "The response body is on standard output." : undefined,
  });
}

/** `Name: value` pairs; unlike a token request's, any header may be set (Content-Type above all), but Authorization. */
function parseApiHeaders(list: readonly string[] | undefined): [string, string][] {
  return (list ?? []).map((item): [string, string] => {
    const colon = item.indexOf(":");
    const name = colon > 0 ? item.slice(0, colon).trim() : "";
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new UsageError(`--header: "${item}" is not "Name: value"`);
    return [name, item.slice(colon + 1).trim()];
  });
}

function checkApiUrl(session: Session, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`the URL "${value}" is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new UsageError(`the URL "${value}" must be an http(s) URL`);
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) session.warn(`${value} is plain http: the access token crosses the network unencrypted (RFC 6750 §5.3)`);
  return value;
}

/** The stream's head as an exchange, for the trace and the error paths (the body is not kept). */
function asExchange(exchange: StreamedExchange, requestBody: string | undefined, responseBody = ""): HttpExchange {
  const request = { ...exchange.request, method: exchange.request.method as HttpRequest["method"], body: requestBody };
  const response = exchange.response && { status: exchange.response.status, statusText: exchange.response.statusText, headers: exchange.response.headers, body: responseBody, truncated: false };
  return { request, ...(response ? { response } : {}), ...(exchange.failure ? { failure: exchange.failure } : {}), startedAt: exchange.startedAt, durationMs: exchange.durationMs };
}

/** -v: the request and the response head, curl -v style; -i: the response head alone. Both on stderr, redacted. */
function traceHead(session: Session, exchange: StreamedExchange, include: boolean, requestBody: string | undefined): void {
  if (session.options.verbose) return session.trace(asExchange(exchange, requestBody));
  const response = exchange.response;
  if (!include || !response) return;
  const show = session.options.showSecrets;
  const lines = [`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`, ...Object.entries(response.headers).map(([name, value]) => `${name}: ${show ? value : redactHeader(name, value)}`)];
  session.traceText(`${lines.join("\n")}\n\n`);
}

/** The body, chunk by chunk, to stdout (as bytes) or into --out (renamed into place once whole). */
async function copyBody(session: Session, response: StreamedResponse, out: string | undefined): Promise<void> {
  const ctx = session.ctx;
  let file: ReturnType<typeof openAtomicFile> | undefined;
  if (out !== undefined) {
    try {
      file = openAtomicFile(out);
    } catch (error) {
      if (error instanceof UnsafeFileError) throw new UsageError(`--out: "${out}" ${error.message}`);
      throw new UsageError(`--out: cannot write "${out}" (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  }
  let size = 0;
  // Text for a terminal, decoded across chunk boundaries (a character may be split between two).
  const text = new TextDecoder();
  try {
    for await (const chunk of response.body) {
      // Raw bytes garble a terminal (curl refuses them too); a pipe or --out gets them as they are.
      if (!file && size === 0 && ctx.stdout.isTTY && chunk.includes(0)) {
        throw new UsageError(`the response body is binary (${response.headers["content-type"] ?? "no content type"}): not printed on a terminal`, {
          hint: "Save it with --out FILE, or pipe it (| xxd, > file).",
        });
      }
      size += chunk.length;
      if (file) file.write(chunk);
      else if (ctx.stdout.writeBytes) await ctx.stdout.writeBytes(chunk);
      else ctx.stdout.write(text.decode(chunk, { stream: true }));
    }
    if (!file && !ctx.stdout.writeBytes) ctx.stdout.write(text.decode());
  } catch (error) {
    file?.abort();
    if (error instanceof UsageError) throw error;
    if (ctx.signal.aborted) throw new InterruptedError();
    const code = (error as NodeJS.ErrnoException).code;
    throw new NetworkError(`the connection to the API broke after ${size} bytes of the body${code ? ` (${code})` : ""}${file ? `; ${out} was left as it was` : ""}`, {
      hint: code === "UND_ERR_BODY_TIMEOUT" ? "The API paused longer than --timeout in the middle of the body: raise --timeout." : undefined,
    });
  }
  if (file) {
    file.commit();
    session.note(`wrote ${size} bytes to ${out}`);
  }
}

/** The first bytes of a refused answer's body, as text, for the explanation (the rest is dropped). */
async function bodyHead(response: StreamedResponse): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Text for a terminal, decoded across chunk boundaries (a character may be split between two).
  const text = new TextDecoder();
  try {
    for await (const chunk of response.body) {
      chunks.push(Buffer.from(chunk));
      size += chunk.length;
      if (size >= SHOWN_ERROR_BODY) break;
    }
  } catch {
    // What arrived is enough to show.
  }
  return Buffer.concat(chunks).subarray(0, SHOWN_ERROR_BODY).toString("utf8");
}
