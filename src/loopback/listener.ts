import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { InterruptedError, NetworkError, UsageError } from "../errors/cli-error.js";
import { REDIRECT_HOSTS, type RedirectHost } from "./host.js";
import { PAGE_HEADERS, type Page, renderAlreadyHandledPage, renderNotFoundPage, renderRejectedPage } from "./pages.js";

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
}

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

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
      if (body.length > MAX_FORM_BODY) req.destroy(new Error("form body too large"));
    });
    req.on("end", () => resolve(new URLSearchParams(body)));
    req.on("error", reject);
  });
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
  const servers: Server[] = [];
  const addresses: string[] = [];
  let port = options.port;
  const families = options.host === "localhost" ? ["127.0.0.1", "::1"] : [options.host === "[::1]" ? "::1" : "127.0.0.1"];

  for (let attempt = 0; ; attempt++) {
    try {
      for (const address of families) {
        const server = createServer(onRequest);
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

  const redirectUri = `http://${options.host}:${port}${options.path}`;
  const allowedHosts = new Set<string>([...REDIRECT_HOSTS, ...(options.extraHostNames ?? [])]);
  let closed = false;

  const close = async () => {
    if (closed) return;
    closed = true;
    active = undefined;
    await Promise.all(servers.map(closeServer));
  };

  function send(res: ServerResponse, page: Page, onSent?: () => void): void {
    res.writeHead(page.status, PAGE_HEADERS);
    if (onSent) res.once("finish", onSent);
    res.end(page.html);
  }

  function wait<T>(handler: CallbackHandler<T>, waitOptions: WaitOptions): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const finish = (outcome: () => void) => {
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
        const seconds = Math.round(waitOptions.timeoutMs / 1000);
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
        const url = new URL(req.url ?? "/", "http://loopback.invalid");
        const hostName = (req.headers.host ?? "").replace(/:\d+$/, "").toLowerCase();
        if (!allowedHosts.has(hostName)) {
          // DNS rebinding: a web page's own host name resolving to 127.0.0.1.
          options.notify(`refused a request for host "${hostName}" (only loopback names are served); still waiting`);
          return send(res, renderRejectedPage("This request was not addressed to the loopback redirect"));
        }
        // Only the exact callback path (RFC 8252 §8.10); /favicon.ico, preconnects and scans get 404.
        if (url.pathname !== options.path || (req.method !== "GET" && req.method !== "POST")) return send(res, renderNotFoundPage());
        const params = req.method === "POST" ? await readForm(req) : url.searchParams;
        if (settled) return send(res, renderAlreadyHandledPage());
        const decision = handler(params);
        if ("keepWaiting" in decision) return send(res, decision.keepWaiting);
        settled = true;
        const end = await decision.accepted;
        // Settle only once the page is handed to the OS, so closing cannot cut it off.
        send(res, end.page, () => finish(() => ("result" in end ? resolve(end.result) : reject(end.error))));
      };
      active = (req, res) => {
        serve(req, res).catch((error: unknown) => {
          if (!res.headersSent) send(res, { status: 500, html: "internal error" });
          if (!settled) {
            settled = true;
            finish(() => reject(error));
          }
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
