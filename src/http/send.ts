import { readFileSync } from "node:fs";
import type { Dispatcher } from "undici";
import type { HttpClient, HttpExchange, HttpRequest, HttpResponse, NetworkFailure, SendOptions, StreamedExchange, StreamRequest } from "./types.js";
import { answersPlainHttp, describeTlsFailure, plainHttpOnTlsUrl, restate, speaksTls, tlsOnPlainUrl } from "./tls-failure.js";
import { mayUseProxy, PROXY_TUNNEL_REFUSED, type ProxySettings, proxyShownFor, readProxySettings, tunnelClientFactory } from "./proxy.js";
import { loadAgent, loadEnvProxyAgent, loadRequest } from "./undici.js";

const DEFAULT_MAX_BODY = 4 * 1024 * 1024;

/** The real HTTP client: undici, proxies from the environment, extra CAs, a time limit, a body cap. */
export function createHttpClient(env: Readonly<Record<string, string | undefined>>, now: () => number): HttpClient {
  const dispatchers = new Map<string, Dispatcher>();
  const proxy = readProxySettings(env);

  async function dispatcherFor(options: SendOptions, viaProxy: boolean): Promise<Dispatcher> {
    const key = `${viaProxy ? "proxy" : "direct"}|${options.caFile ?? ""}|${options.timeoutMs}|${options.clientCertificate?.cert ?? ""}`;
    let dispatcher = dispatchers.get(key);
    if (dispatcher) return dispatcher;
    const connect: Record<string, unknown> = { timeout: options.timeoutMs };
    if (options.caFile) connect.ca = await certificateAuthorities(options.caFile, env);
    // Mutual TLS: the certificate is offered to whichever server asks for one (RFC 8705 §2).
    if (options.clientCertificate) Object.assign(connect, { cert: options.clientCertificate.cert, key: options.clientCertificate.key });
    const agentOptions = { connect, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs };
    if (viaProxy && proxy) {
      const EnvHttpProxyAgent = await loadEnvProxyAgent();
      dispatcher = new EnvHttpProxyAgent({
        ...agentOptions,
        // Through a proxy, TLS to the target and to the proxy are configured apart from `connect`.
        requestTls: connect,
        proxyTls: connect,
        // An http:// target goes as an absolute-URI request (RFC 9112 §3.2.2), as curl sends it: a
        // proxy owes no CONNECT for it, and undici 7 retries a refused CONNECT forever (its issues
        // #3897, #5093). https:// still tunnels.
        proxyTunnel: false,
        clientFactory: await tunnelClientFactory(),
        httpProxy: proxy.httpProxy,
        httpsProxy: proxy.httpsProxy,
        noProxy: proxy.noProxy,
      });
    } else {
      const Agent = await loadAgent();
      dispatcher = new Agent(agentOptions);
    }
    dispatchers.set(key, dispatcher);
    return dispatcher;
  }

  /** Drops a dispatcher that still holds a request we gave up on: closing it would wait for that request. */
  function discard(dispatcher: Dispatcher): void {
    for (const [key, value] of dispatchers) if (value === dispatcher) dispatchers.delete(key);
    dispatcher.destroy().catch(() => undefined);
  }

  /**
   * Sends through the right dispatcher and waits for the response head. undici applies an abort
   * only once a connection is up; a request stuck before that (a proxy that refuses CONNECT,
   * retried without end) would outlive --timeout and Ctrl-C: `deadline` is ours, whatever the HTTP
   * stack does, and a dispatcher still holding the request is dropped.
   */
  async function openResponse(
    url: URL,
    request: { method: string; headers?: Record<string, string>; body?: string | Uint8Array },
    options: SendOptions,
    viaProxy: boolean,
    signals: { request: AbortSignal | undefined; deadline: AbortSignal },
  ): Promise<Dispatcher.ResponseData> {
    const [requestFn, dispatcher] = await Promise.all([loadRequest(), dispatcherFor(options, viaProxy)]);
    const pending = requestFn.call(dispatcher, {
      origin: url.origin,
      path: url.pathname + url.search,
      method: request.method as Dispatcher.HttpMethod,
      headers: request.headers,
      body: request.body,
      signal: signals.request,
    });
    let answered = false;
    pending.then(() => (answered = true), () => (answered = true));
    const deadline = rejectOnAbort(signals.deadline);
    return Promise.race([pending, deadline.promise])
      .catch((error: unknown) => {
        if (!answered) discard(dispatcher);
        throw error;
      })
      .finally(deadline.dispose);
  }

  return {
    async close(): Promise<void> {
      await Promise.all([...dispatchers.values()].map((d) => d.close()));
      dispatchers.clear();
    },
    async send(request: HttpRequest, options: SendOptions): Promise<HttpExchange> {
      const startedAt = now();
      // process.hrtime, not performance.now(): the global `performance` loads node:perf_hooks (~1-2 ms at start-up).
      const started = process.hrtime.bigint();
      const finish = (result: { response?: HttpResponse; failure?: NetworkFailure }): HttpExchange => ({
        request,
        startedAt,
        durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e6),
        ...result,
      });
      const timeout = AbortSignal.timeout(options.timeoutMs);
      const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
      let url: URL | undefined;
      let viaProxy = false;
      try {
        url = new URL(request.url);
        viaProxy = mayUseProxy(url, proxy);
        const res = await openResponse(url, request, options, viaProxy, { request: signal, deadline: signal });
        const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of res.body as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > max) {
            res.body.destroy();
            return finish({
              response: toResponse(res, Buffer.concat(chunks).toString("utf8"), true),
              failure: { kind: "too-large", message: `the response body is larger than ${max} bytes; stopped reading` },
            });
          }
          chunks.push(chunk);
        }
        return finish({ response: toResponse(res, Buffer.concat(chunks).toString("utf8"), false) });
      } catch (error) {
        let failure = classifyFailure(error, options, timeout, url);
        if (url && !viaProxy && !signal.aborted) failure = await explainWrongScheme(failure, url, options.timeoutMs);
        return finish({ failure: viaProxy && url && proxy ? withProxyHint(failure, url, proxy) : failure });
      }
    },
    async stream(request: StreamRequest, options: Omit<SendOptions, "maxBodyBytes">): Promise<StreamedExchange> {
      const startedAt = now();
      const started = process.hrtime.bigint();
      const finish = (result: Pick<StreamedExchange, "response" | "failure">): StreamedExchange => ({
        request,
        startedAt,
        durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e6),
        ...result,
      });
      // The whole-request deadline of send() would cut a long download: here it runs until the
      // headers, and the dispatcher's bodyTimeout (the same --timeout) guards each pause after.
      const headersDeadline = new AbortController();
      const timer = setTimeout(() => headersDeadline.abort(new Error("timeout")), options.timeoutMs);
      const signal = options.signal ? AbortSignal.any([options.signal, headersDeadline.signal]) : headersDeadline.signal;
      let url: URL | undefined;
      let viaProxy = false;
      try {
        url = new URL(request.url);
        viaProxy = mayUseProxy(url, proxy);
        const res = await openResponse(url, request, options, viaProxy, { request: options.signal, deadline: signal });
        const head = toResponse(res, "", false);
        return finish({ response: { status: head.status, statusText: head.statusText, headers: head.headers, body: res.body as AsyncIterable<Uint8Array> } });
      } catch (error) {
        let failure = classifyFailure(error, options, headersDeadline.signal, url);
        if (url && !viaProxy && !signal.aborted) failure = await explainWrongScheme(failure, url, options.timeoutMs);
        return finish({ failure: viaProxy && url && proxy ? withProxyHint(failure, url, proxy) : failure });
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** A promise that rejects when the signal aborts; dispose() once it is no longer raced. */
function rejectOnAbort(signal: AbortSignal): { promise: Promise<never>; dispose: () => void } {
  let onAbort = () => undefined as void;
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  promise.catch(() => undefined);
  return { promise, dispose: () => signal.removeEventListener("abort", onAbort) };
}

/** A failure through a proxy may be the proxy's doing: say which proxy was in the way. */
function withProxyHint(failure: NetworkFailure, url: URL, proxy: ProxySettings): NetworkFailure {
  const shown = proxyShownFor(url, proxy);
  if (!shown || failure.hint || (failure.kind !== "timeout" && failure.kind !== "reset" && failure.kind !== "other")) return failure;
  const tunnel = url.protocol === "https:" ? " An https:// request needs a proxy that supports CONNECT." : "";
  return {
    ...failure,
    hint: `The request went to the proxy ${shown} (${url.protocol === "https:" ? "HTTPS_PROXY" : "HTTP_PROXY"}), which may be what failed.${tunnel} To go direct, add the host to NO_PROXY.`,
  };
}

function toResponse(res: Dispatcher.ResponseData, body: string, truncated: boolean): HttpResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  const statusText = (res as { statusText?: string }).statusText ?? "";
  return { status: res.statusCode, statusText, headers, body, truncated };
}

async function certificateAuthorities(caFile: string, env: Readonly<Record<string, string | undefined>>): Promise<string[]> {
  // Giving `ca` replaces Node's default store, so keep the defaults and NODE_EXTRA_CA_CERTS too.
  // node:tls is imported here, not at the top: loading it costs ~30 ms at start-up, and only --ca-file needs it.
  const { rootCertificates } = await import("node:tls");
  const cas = [...rootCertificates, readFileSync(caFile, "utf8")];
  const extra = env.NODE_EXTRA_CA_CERTS;
  if (extra) {
    try {
      cas.push(readFileSync(extra, "utf8"));
    } catch {
      // Node itself warns about an unreadable NODE_EXTRA_CA_CERTS at start-up.
    }
  }
  return cas;
}

const TLS_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_TLS|ERR_SSL|HOSTNAME_MISMATCH|ERR_CERT)/;

export function classifyFailure(error: unknown, options: SendOptions, timeout: AbortSignal, url?: URL): NetworkFailure {
  const err = error as { code?: unknown; message?: string; name?: string; cause?: { code?: unknown; message?: string }; cert?: { subjectaltname?: string } };
  // A DOMException (an abort) has a numeric `code`: not one of Node's error codes.
  const code = [err.code, err.cause?.code].find((c): c is string => typeof c === "string");
  const message = err.message ?? String(error);
  if (options.signal?.aborted) return { kind: "aborted", message: "interrupted", code };
  if (timeout.aborted || code === "UND_ERR_CONNECT_TIMEOUT" || code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") {
    // No code in brackets: the words say it all, and the codes here (undici's UND_ERR_*_TIMEOUT, or
    // 23, the legacy DOMException code of an AbortSignal.timeout) mean nothing to a reader.
    return { kind: "timeout", message: `no answer within ${options.timeoutMs / 1000} s` };
  }
  if (code === PROXY_TUNNEL_REFUSED) {
    return { kind: "other", message, code, hint: "An https:// request through a proxy needs CONNECT, and this proxy does not do it: check HTTPS_PROXY (the address of a proxy that supports CONNECT), or add the host to NO_PROXY to go direct." };
  }
  // undici's own words for a proxy's refusal: "Proxy response (N) !== 200 when HTTP Tunneling" for
  // CONNECT, "Proxy Authentication Required (407)" for an http:// request.
  const proxyStatus = /Proxy response \((\d{3})\) !== 200 when HTTP Tunneling/.exec(message)?.[1] ?? (/Proxy Authentication Required \(407\)/.test(message) ? "407" : undefined);
  if (proxyStatus === "407") {
    return { kind: "other", message: "the proxy wants credentials (407 Proxy Authentication Required)", code, hint: "Put them in the proxy URL (http://USER:PASSWORD@host:port, percent-encoded), or add the host to NO_PROXY to go direct." };
  }
  if (proxyStatus) {
    const hint = "An https:// request through a proxy needs a tunnel (CONNECT) that this proxy refused: check HTTPS_PROXY, or add the host to NO_PROXY to go direct.";
    return { kind: "other", message: `the proxy refused to open a tunnel (CONNECT) and answered ${proxyStatus}`, code, hint };
  }
  if (code === "ECONNREFUSED") return { kind: "refused", message: "connection refused", code };
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return { kind: "dns", message: "the host name could not be resolved", code };
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET" || code === "EPIPE") return { kind: "reset", message: "the connection was closed before a full answer arrived", code };
  if (code && TLS_CODES.test(code)) {
    const problem = url ? describeTlsFailure(code, message, url, { caFile: options.caFile, altNames: err.cert?.subjectaltname }) : { message: `TLS: ${message}`, hint: undefined };
    return { kind: "tls", message: problem.message, code, ...(problem.hint && { hint: problem.hint }) };
  }
  if (code === "ERR_INVALID_URL" || err.name === "TypeError") return { kind: "other", message, code };
  return { kind: "other", message, code };
}

/** How long a probe of the port may take when a failure looks like the wrong scheme. */
const PROBE_MS = 2000;

/**
 * https:// to a plain-HTTP port and http:// to a TLS port fail with words about something else
 * (OpenSSL's "wrong version number"; a closed connection). One look at the port says which it is.
 */
async function explainWrongScheme(failure: NetworkFailure, url: URL, timeoutMs: number): Promise<NetworkFailure> {
  const probeMs = Math.min(PROBE_MS, timeoutMs);
  if (url.protocol === "https:" && (failure.code === "ERR_SSL_WRONG_VERSION_NUMBER" || failure.code === "ERR_SSL_PACKET_LENGTH_TOO_LONG")) {
    return (await answersPlainHttp(url, probeMs)) ? restate(failure, plainHttpOnTlsUrl(url)) : failure;
  }
  const garbled = failure.kind === "reset" || failure.code === "UND_ERR_HTTP_PARSER" || /^HPE_/.test(failure.code ?? "");
  if (url.protocol === "http:" && garbled) return (await speaksTls(url, probeMs)) ? restate(failure, tlsOnPlainUrl(url)) : failure;
  return failure;
}
