import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { InterruptedError, NetworkError, UsageError } from "../errors/cli-error.js";
import { REDIRECT_HOSTS, type RedirectHost } from "./host.js";
import {
  PAGE_HEADERS,
  type Page,
  renderAlreadyHandledPage,
  renderBadRequestPage,
  renderNotFoundPage,
  renderRejectedPage,
  renderTooLargePage,
} from "./pages.js";

export interface ListenerOptions {
  readonly host: RedirectHost;
  /** 0 picks an ephemeral port (RFC 8252 §7.3). */
  readonly port: number;
  /** The exact callback path; everything else is 404. */
  readonly path: string;
  /** Host names accepted in the Host header besides the loopback ones (a --redirect-uri behind a forwarder). */
  readonly extraHostNames?: readonly string[];
  /** Lines for stderr: a refused callback, a missing IPv6 stack. */
  readonly notify: (line: string) => void;
  /** Bounds on what other local processes can hold open; the defaults suit a browser (tests lower them). */
  readonly limits?: Partial<ListenerLimits>;
}

export interface ListenerLimits {
  /** Open connections across all bound addresses; at the bound, the oldest idle one is closed for a new one. */
  readonly maxConnections: number;
  /** A connection with no request in progress is closed after this long. */
  readonly idleMs: number;
  /** A request must have sent all of its headers within this long, and all of its body within twice that. */
  readonly headersMs: number;
}

export const DEFAULT_LIMITS: ListenerLimits = { maxConnections: 32, idleMs: 15_000, headersMs: 10_000 };

/** How an accepted callback ends: its page, and the result or the error of the whole flow. */
export type CallbackEnd<T> = { readonly page: Page; readonly result: T } | { readonly page: Page; readonly error: unknown };

/**
 * What the handler decides about one request on the callback path. The decision itself is
 * synchronous: once a callback is accepted (state is single use), every later one is answered
 * "already done" at once, even while the accepted one is still being redeemed.
 */
export type CallbackDecision<T> = { readonly keepWaiting: Page } | { readonly accepted: Promise<CallbackEnd<T>> };

export type CallbackHandler<T> = (params: URLSearchParams) => CallbackDecision<T>;

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

export interface LoopbackListener {
  readonly port: number;
  /** http://HOST:PORT/PATH: what this listener answers. */
  readonly redirectUri: string;
  /** The addresses actually bound, e.g. ["127.0.0.1:53117", "[::1]:53117"]. */
  readonly addresses: readonly string[];
  /** Serves requests until the handler returns a result or an error, the time runs out, or the signal aborts. */
  wait<T>(handler: CallbackHandler<T>, options: WaitOptions): Promise<T>;
  /** Idempotent; drops keep-alive connections so nothing outlives the command. */
  close(): Promise<void>;
}

const MAX_FORM_BODY = 64 * 1024;

function bindOne(server: Server, address: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    // exclusive: no handle sharing with cluster workers; Node never sets SO_REUSEPORT, so no
    // second process can bind the same address and port (RFC 8252 App. B.3/B.5, azure-cli #10578).
    server.listen({ host: address, port, exclusive: true }, () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function portError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  if (error.code === "EADDRINUSE") {
    return new UsageError(`port ${port} on ${host} is already in use`, {
      hint: `Stop what listens there (find it with: ss -ltnp 'sport = :${port}' or lsof -iTCP:${port} -sTCP:LISTEN), or give another --port that the provider has registered. Without --port, a free port is picked for you.`,
    });
  }
  if (error.code === "EACCES") return new UsageError(`not allowed to listen on port ${port} on ${host}`, { hint: "Ports below 1024 need privileges: pick a port above 1024 with --port." });
  return error;
}

type FormBody = { readonly params: URLSearchParams } | { readonly tooLarge: true } | { readonly cutOff: true };

/** Reads a form_post body up to the cap; a larger one is not read, a cut-off one is not an error. */
function readForm(req: IncomingMessage): Promise<FormBody> {
  return new Promise((resolve) => {
    if (Number(req.headers["content-length"] ?? 0) > MAX_FORM_BODY) return resolve({ tooLarge: true });
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
      if (body.length > MAX_FORM_BODY) {
        req.removeAllListeners("data");
        req.pause();
        resolve({ tooLarge: true });
      }
    });
    req.on("end", () => resolve({ params: new URLSearchParams(body) }));
    // The client went away mid-body: nobody is left to answer.
    req.on("error", () => resolve({ cutOff: true }));
    req.on("aborted", () => resolve({ cutOff: true }));
    req.on("close", () => {
      if (!req.complete) resolve({ cutOff: true });
    });
  });
}

/**
 * The request target as a URL: origin-form ("/callback?…") or absolute-form ("http://host/…",
 * RFC 9112 §3.2.2); anything else (`//`, `*`, a bare word) is undefined.
 */
function targetOf(raw: string | undefined): URL | undefined {
  if (!raw) return undefined;
  try {
    if (raw.startsWith("/")) return new URL(`http://loopback.invalid${raw}`);
    if (/^http:\/\//i.test(raw)) return new URL(raw);
  } catch {
    // An unparseable target is answered 400 below.
  }
  return undefined;
}

/** The host name of a Host header, without port; "" when absent. */
function hostNameOf(header: string | undefined): string {
  return (header ?? "").trim().replace(/:\d*$/, "").toLowerCase();
}

/**
 * Keeps any local process from starving the real redirect: every connection has an idle limit, and
 * at the bound a new connection pushes out the oldest one that has no request in progress.
 */
function guardConnections(servers: readonly Server[], limits: ListenerLimits): void {
  const open = new Set<Socket>();
  const busy = new WeakSet<Socket>();
  for (const server of servers) {
    // Node checks headersTimeout and requestTimeout only every connectionsCheckingInterval (30 s by default).
    server.headersTimeout = limits.headersMs;
    server.requestTimeout = limits.headersMs * 2;
    server.keepAliveTimeout = Math.min(5000, limits.idleMs);
    server.on("connection", (socket: Socket) => {
      if (open.size >= limits.maxConnections) {
        const victim = [...open].find((s) => !busy.has(s)) ?? [...open][0];
        victim?.destroy();
        if (victim) open.delete(victim);
      }
      open.add(socket);
      socket.once("close", () => open.delete(socket));
      // A silent connection never starts a request, so headersTimeout never applies to it.
      socket.setTimeout(limits.idleMs, () => socket.destroy());
    });
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      // Node destroys a socket on its timeout even mid-request; an accepted callback's page waits for
      // the token exchange (up to --timeout), so a request in progress has no idle limit.
      const socket = req.socket;
      busy.add(socket);
      socket.setTimeout(0);
      res.once("close", () => {
        busy.delete(socket);
        if (!socket.destroyed) socket.setTimeout(limits.idleMs);
      });
    });
    // A malformed request, headers too large or too slow: a bare 4xx and the connection closed, as
    // Node does by default; kept explicit because the wait must never hear of it.
    server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
      const status = error.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? "408 Request Timeout" : "400 Bad Request";
      if (socket.writable && socket.bytesWritten === 0) socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      socket.destroy();
    });
  }
}

/**
 * Binds the redirect listener on loopback only, never 0.0.0.0 (RFC 8252 §8.3): 127.0.0.1, or [::1],
 * or for `localhost` both of them on the same port (RFC 8252 §7.3; kubelogin #1151).
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-7.3
 */
export async function startListener(options: ListenerOptions): Promise<LoopbackListener> {
  let active: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (active) active(req, res);
    else send(res, { status: 503, html: "not ready" });
  };
  const limits: ListenerLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const servers: Server[] = [];
  const addresses: string[] = [];
  let port = options.port;
  const families = options.host === "localhost" ? ["127.0.0.1", "::1"] : [options.host === "[::1]" ? "::1" : "127.0.0.1"];

  for (let attempt = 0; ; attempt++) {
    try {
      for (const address of families) {
        const server = createServer({ connectionsCheckingInterval: Math.min(1000, limits.headersMs) }, onRequest);
        servers.push(server);
        port = await bindOne(server, address, port);
        addresses.push(address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`);
      }
      break;
    } catch (error) {
      const err = error as NodeJS.ErrnoException;
      const failedOnSecond = servers.length === 2;
      if (failedOnSecond && (err.code === "EADDRNOTAVAIL" || err.code === "EAFNOSUPPORT")) {
        // No IPv6 on this machine: localhost can only resolve to 127.0.0.1 here anyway.
        servers.pop();
        options.notify("note: no IPv6 loopback here; listening on 127.0.0.1 only");
        break;
      }
      await Promise.all(servers.map(closeServer));
      servers.length = 0;
      addresses.length = 0;
      // The ephemeral port we got for IPv4 may be taken on IPv6: try another one.
      if (failedOnSecond && err.code === "EADDRINUSE" && options.port === 0 && attempt < 5) {
        port = 0;
        continue;
      }
      throw portError(err, options.host, port);
    }
  }

  guardConnections(servers, limits);
  const redirectUri = `http://${options.host}:${port}${options.path}`;
  const allowedHosts = new Set<string>([...REDIRECT_HOSTS, ...(options.extraHostNames ?? [])]);
  let closed = false;
  // Said once per name and at most a few times: a flood of foreign requests must not flood stderr.
  const refusedHosts = new Set<string>();
  const refusedHost = (name: string) => {
    if (refusedHosts.has(name) || refusedHosts.size >= 5) return;
    refusedHosts.add(name);
    options.notify(`refused a request for host "${name}" (only loopback names are served); still waiting`);
  };

  const close = async () => {
    if (closed) return;
    closed = true;
    active = undefined;
    await Promise.all(servers.map(closeServer));
  };

  function send(res: ServerResponse, page: Page, onSent?: () => void): void {
    if (res.headersSent) return;
    res.writeHead(page.status, PAGE_HEADERS);
    if (onSent) res.once("finish", onSent);
    res.end(page.html);
  }

  function wait<T>(handler: CallbackHandler<T>, waitOptions: WaitOptions): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      let done = false;
      const finish = (outcome: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        waitOptions.signal.removeEventListener("abort", onAbort);
        outcome();
      };
      const onAbort = () => {
        settled = true;
        finish(() => reject(new InterruptedError()));
      };
      const timer = setTimeout(() => {
        settled = true;
        // As given: --wait 0.5 says 0.5 s, not a rounded 1 (or 0).
        const seconds = waitOptions.timeoutMs / 1000;
        finish(() =>
          reject(
            new NetworkError(`no redirect reached ${redirectUri} within ${seconds} s`, {
              hint: "Finish signing in in the browser sooner, or raise --wait SECONDS. If the browser showed an error page instead, the provider refused the request (its page says why). Over SSH, use --paste.",
            }),
          ),
        );
      }, waitOptions.timeoutMs);
      if (waitOptions.signal.aborted) return onAbort();
      waitOptions.signal.addEventListener("abort", onAbort, { once: true });

      const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
        // The Host header first: nothing from a foreign page is even parsed.
        const hostName = hostNameOf(req.headers.host);
        if (!allowedHosts.has(hostName)) {
          // DNS rebinding: a web page's own host name resolving to 127.0.0.1.
          refusedHost(hostName);
          return send(res, renderRejectedPage("This request was not addressed to the loopback redirect"));
        }
        const url = targetOf(req.url);
        if (!url) return send(res, renderBadRequestPage());
        // Only the exact callback path (RFC 8252 §8.10); /favicon.ico, preconnects and scans get 404.
        if (url.pathname !== options.path || (req.method !== "GET" && req.method !== "POST")) return send(res, renderNotFoundPage());
        let params = url.searchParams;
        if (req.method === "POST") {
          const form = await readForm(req);
          if ("cutOff" in form) return void res.destroy();
          if ("tooLarge" in form) return send(res, renderTooLargePage(MAX_FORM_BODY), () => req.destroy());
          params = form.params;
        }
        if (settled) return send(res, renderAlreadyHandledPage());
        const decision = handler(params);
        if ("keepWaiting" in decision) return send(res, decision.keepWaiting);
        settled = true;
        let end: CallbackEnd<T>;
        try {
          end = await decision.accepted;
        } catch (error) {
          send(res, { status: 500, html: "internal error" });
          return finish(() => reject(error));
        }
        // Settle only once the page is handed to the OS, so closing cannot cut it off; if the browser is
        // gone by then, settle all the same.
        const settle = () => finish(() => ("result" in end ? resolve(end.result) : reject(end.error)));
        res.once("close", settle);
        send(res, end.page, settle);
      };
      active = (req, res) => {
        serve(req, res).catch((error: unknown) => {
          // Only the accepted callback ends the wait (above); trouble with any other request does not.
          if (!res.headersSent && !res.destroyed) send(res, { status: 500, html: "internal error" });
          options.notify(`a request to the redirect listener failed (${String(error)}); still waiting`);
        });
      };
    });
  }

  return { port, redirectUri, addresses, wait, close };
}

/** A free loopback port number, for --paste without --port (nothing listens on it afterwards). */
export async function pickFreePort(): Promise<number> {
  const server = createServer();
  const port = await bindOne(server, "127.0.0.1", 0);
  await closeServer(server);
  return port;
}
