import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { X509Certificate } from "node:crypto";
import { createServer as createHttpsServer } from "node:https";
import type { TLSSocket } from "node:tls";
import { authMethodMismatch } from "./auth-method.js";
import { runOnClock, type SandboxClock } from "./clock.js";
import { jsonBodyToForm, toLegacyEnvelope, withArrayDescription } from "./envelope.js";
import { DevicePollGate } from "./device-polling.js";
import { followInteractions, type Upstream } from "./interactions.js";
import type { SandboxOptions } from "./types.js";

/** Where the front forwards to; filled in once both listeners are up. */
export interface FrontTarget {
  issuer: string;
  internalPort: number;
}

const HOP_BY_HOP = ["connection", "keep-alive", "transfer-encoding", "content-length", "date", "upgrade"];

/**
 * The sandbox's public listener. Everything is forwarded to the real oidc-provider on an internal
 * loopback port; on the way the front reproduces provider quirks (JSON-only token endpoint,
 * legacy envelopes, array descriptions), shifts the Date header, and collapses autoLogin's
 * redirect chain into one hop.
 */
export function createFront(target: FrontTarget, options: SandboxOptions, agent: Agent, clock: SandboxClock | undefined): Server {
  const gate = options.devicePollInterval === undefined ? undefined : new DevicePollGate(options.devicePollInterval);
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    runOnClock(clock, () => {
      const started = performance.now();
      handle(req, res, target, options, agent, gate)
        .then((status) => options.logger?.(`${req.method} ${pathOf(req)} → ${status} (${Math.round(performance.now() - started)} ms)`))
        .catch((err: unknown) => {
          const message = err instanceof Error ? err.message : String(err);
          options.logger?.(`${req.method} ${pathOf(req)} → front error: ${message}`);
          if (!res.headersSent) reply(res, 502, {}, json({ error: "server_error", error_description: `sandbox front: ${message}` }));
          else res.destroy();
        });
    });
  };
  if (!options.tls) return createServer(handler);
  // Mutual TLS (RFC 8705): ask every client for a certificate, take any, and tell the provider
  // whether it chains to the client CA, as a TLS-terminating proxy in front of a real AS would.
  const { cert, key, clientCa } = options.tls;
  return createHttpsServer({ cert, key, ...(clientCa && { ca: clientCa }), requestCert: true, rejectUnauthorized: false }, handler) as unknown as Server;
}

/** Headers the front sets from the TLS handshake; a client never sets them itself. */
export const CLIENT_CERT_HEADER = "x-sandbox-client-cert";
export const CLIENT_CERT_VERIFIED_HEADER = "x-sandbox-client-cert-verified";

function withClientCertificate(req: IncomingMessage, headers: IncomingHttpHeaders): void {
  delete headers[CLIENT_CERT_HEADER];
  delete headers[CLIENT_CERT_VERIFIED_HEADER];
  // The provider behind the front speaks plain HTTP; its URLs must still say https.
  headers["x-forwarded-proto"] = "https";
  const socket = req.socket as Partial<TLSSocket>;
  const peer = socket.getPeerCertificate?.(false);
  if (!peer?.raw) return;
  headers[CLIENT_CERT_HEADER] = encodeURIComponent(new X509Certificate(peer.raw).toString());
  headers[CLIENT_CERT_VERIFIED_HEADER] = socket.authorized ? "1" : "0";
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  target: FrontTarget,
  options: SandboxOptions,
  agent: Agent,
  gate: DevicePollGate | undefined,
): Promise<number> {
  const url = new URL(req.url ?? "/", target.issuer);
  const isToken = req.method === "POST" && url.pathname === "/token";
  const headers = withoutHopByHop(req.headers);
  if (options.tls) withClientCertificate(req, headers);
  let body = await readAll(req);

  if (isToken && options.requireJsonBody) {
    const converted = jsonBodyToForm(req.headers["content-type"], body);
    if (!converted.ok) {
      const out = rewrite({ status: converted.status, headers: {}, body: json(converted.body) }, isToken, options);
      reply(res, out.status, out.headers, out.body);
      return out.status;
    }
    body = Buffer.from(converted.form);
    headers["content-type"] = "application/x-www-form-urlencoded";
  }

  const refused = authMethodMismatch(req.method, url.pathname, headers, body);
  if (refused) {
    const out = rewrite(refused, isToken, options);
    reply(res, out.status, out.headers, out.body);
    return out.status;
  }

  const tooSoon = isToken ? gate?.poll(body, Date.now()) : undefined;
  if (tooSoon) {
    const out = rewrite(tooSoon, isToken, options);
    reply(res, out.status, out.headers, out.body);
    return out.status;
  }

  const forward = (method: string, path: string, h: IncomingHttpHeaders, b: Buffer) =>
    send(agent, target.internalPort, method, path, h, b);
  let upstream = await forward(req.method ?? "GET", url.pathname + url.search, headers, body);
  if (options.autoLogin) {
    upstream = await followInteractions(upstream, target.issuer, req.headers.cookie, (path, cookie) =>
      forward("GET", path, { host: req.headers.host, cookie }, Buffer.alloc(0)),
    );
  }
  if (gate && req.method === "POST" && url.pathname === "/device/auth") upstream = gate.issued(upstream, Date.now());
  if (isToken) upstream = grantNotAllowedAsRfc(upstream);
  const out = rewrite(upstream, isToken, options);
  reply(res, out.status, out.headers, out.body);
  return out.status;
}

/**
 * oidc-provider answers a grant type the client is not registered for with invalid_request; RFC 6749
 * §5.2 names that unauthorized_client, which is what real providers send (and what a user of
 * --without-refresh-grant should see).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
function grantNotAllowedAsRfc(up: Upstream): Upstream {
  if (up.status !== 400 || !up.body.includes("requested grant type is not allowed for this client")) return up;
  try {
    const parsed = JSON.parse(up.body.toString("utf8")) as { error?: string };
    if (parsed.error !== "invalid_request") return up;
    return { ...up, body: json({ ...parsed, error: "unauthorized_client" }) };
  } catch {
    return up;
  }
}

/** Applies legacyEnvelope (token endpoint) and arrayDescriptions (any JSON error) to a JSON body. */
function rewrite(up: Upstream, isToken: boolean, options: SandboxOptions): Upstream {
  const legacy = isToken && options.legacyEnvelope;
  if (!legacy && !options.arrayDescriptions) return up;
  if (!/^application\/json/i.test(String(up.headers["content-type"] ?? "application/json"))) return up;
  let parsed: unknown;
  try {
    parsed = JSON.parse(up.body.toString("utf8"));
  } catch {
    return up;
  }
  const rewritten = legacy ? toLegacyEnvelope(up.status, parsed, Date.now()) : withArrayDescription(parsed);
  return { ...up, body: json(rewritten) };
}

function send(
  agent: Agent,
  port: number,
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const upstream = request(
      { host: "127.0.0.1", port, method, path, agent, headers: { ...headers, "content-length": String(body.length) } },
      (res) => {
        readAll(res).then((b) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: b }), reject);
      },
    );
    upstream.on("error", reject);
    upstream.end(body);
  });
}

function reply(res: ServerResponse, status: number, headers: IncomingHttpHeaders, body: Buffer): void {
  for (const [name, value] of Object.entries(withoutHopByHop(headers))) {
    if (value !== undefined) res.setHeader(name, value);
  }
  if (!res.hasHeader("content-type") && body.length > 0) res.setHeader("content-type", "application/json; charset=utf-8");
  // Date.now() is the sandbox's clock here (runOnClock): with clockSkew the header shows the server's wrong time.
  res.setHeader("date", new Date(Date.now()).toUTCString());
  res.setHeader("content-length", body.length);
  res.writeHead(status);
  res.end(body);
}

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = { ...headers };
  for (const name of HOP_BY_HOP) delete out[name];
  return out;
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

function pathOf(req: IncomingMessage): string {
  return (req.url ?? "/").split("?")[0] ?? "/";
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
  });
}
