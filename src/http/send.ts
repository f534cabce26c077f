import { readFileSync } from "node:fs";
import type { Dispatcher } from "undici";
import type { HttpClient, HttpExchange, HttpRequest, HttpResponse, NetworkFailure, SendOptions } from "./types.js";
import { loadAgent, loadEnvProxyAgent, loadRequest } from "./undici.js";

const DEFAULT_MAX_BODY = 4 * 1024 * 1024;

/** The real HTTP client: undici, proxies from the environment, extra CAs, a time limit, a body cap. */
export function createHttpClient(env: Readonly<Record<string, string | undefined>>, now: () => number): HttpClient {
  const dispatchers = new Map<string, Dispatcher>();

  async function dispatcherFor(options: SendOptions): Promise<Dispatcher> {
    const key = `${options.caFile ?? ""}|${options.timeoutMs}`;
    let dispatcher = dispatchers.get(key);
    if (dispatcher) return dispatcher;
    const connect: Record<string, unknown> = { timeout: options.timeoutMs };
    if (options.caFile) connect.ca = await certificateAuthorities(options.caFile, env);
    const agentOptions = { connect, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs };
    const proxied = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"].some((name) => env[name]);
    if (proxied) {
      const EnvHttpProxyAgent = await loadEnvProxyAgent();
      dispatcher = new EnvHttpProxyAgent({
        ...agentOptions,
        // Through a proxy, TLS to the target and to the proxy are configured apart from `connect`.
        requestTls: connect,
        proxyTls: connect,
        httpProxy: env.http_proxy ?? env.HTTP_PROXY ?? "",
        httpsProxy: env.https_proxy ?? env.HTTPS_PROXY ?? "",
        noProxy: env.no_proxy ?? env.NO_PROXY ?? "",
      });
    } else {
      const Agent = await loadAgent();
      dispatcher = new Agent(agentOptions);
    }
    dispatchers.set(key, dispatcher);
    return dispatcher;
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
      try {
        const url = new URL(request.url);
        const [requestFn, dispatcher] = await Promise.all([loadRequest(), dispatcherFor(options)]);
        const res = await requestFn.call(dispatcher, {
          origin: url.origin,
          path: url.pathname + url.search,
          method: request.method,
          headers: request.headers,
          body: request.body,
          signal,
        });
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
        return finish({ failure: classifyFailure(error, options, timeout) });
      }
    },
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

export function classifyFailure(error: unknown, options: SendOptions, timeout: AbortSignal): NetworkFailure {
  const err = error as { code?: string; message?: string; name?: string; cause?: { code?: string; message?: string } };
  const code = err.code ?? err.cause?.code;
  const message = err.message ?? String(error);
  if (options.signal?.aborted) return { kind: "aborted", message: "interrupted", code };
  if (timeout.aborted || code === "UND_ERR_CONNECT_TIMEOUT" || code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") {
    return { kind: "timeout", message: `no answer within ${options.timeoutMs / 1000} s`, code };
  }
  if (code === "ECONNREFUSED") return { kind: "refused", message: "connection refused", code };
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return { kind: "dns", message: "the host name could not be resolved", code };
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET" || code === "EPIPE") return { kind: "reset", message: "the connection was closed before a full answer arrived", code };
  if (code && TLS_CODES.test(code)) return { kind: "tls", message: `TLS: ${message}`, code };
  if (code === "ERR_INVALID_URL" || err.name === "TypeError") return { kind: "other", message, code };
  return { kind: "other", message, code };
}
