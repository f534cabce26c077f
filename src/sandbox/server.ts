import { Agent, createServer, type Server } from "node:http";
import type Provider from "oidc-provider";
import { sandboxClients } from "./clients.js";
import { runOnClock, sandboxClock } from "./clock.js";
import { buildConfiguration } from "./config.js";
import { registerTokenExchange } from "./token-exchange.js";
import { SandboxStore } from "./file-adapter.js";
import { createFront, type FrontTarget } from "./front.js";
import { assertLoopbackHost, formatAuthority, listenHost } from "./host.js";
import { autoLoginMiddleware } from "./interactions.js";
import type { Sandbox, SandboxOptions } from "./types.js";

export type { Sandbox, SandboxClient, SandboxOptions } from "./types.js";
export { SANDBOX_CLIENTS } from "./clients.js";
export { SANDBOX_SCOPES } from "./config.js";

/**
 * Starts a real OpenID Connect provider (oidc-provider) on loopback: a public front listener
 * on `host:port` (the issuer) forwarding to the provider on an internal 127.0.0.1 port.
 * Throws before listening when `host` is not a loopback address.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? "127.0.0.1";
  assertLoopbackHost(host);

  const store = new SandboxStore(options.stateFile);
  const agent = new Agent({ keepAlive: false });
  const target: FrontTarget = { issuer: "", internalPort: 0 };
  const clock = sandboxClock(options.now, options.clockSkew);
  const front = createFront(target, options, agent, clock);
  const servers: Server[] = [front];
  const close = async () => {
    await Promise.all(servers.map(closeServer));
    agent.destroy();
    // Let in-process HTTP clients see their pooled sockets close before anyone reuses the port.
    await new Promise((resolve) => setTimeout(resolve, 10));
  };

  try {
    const port = await listen(front, options.port ?? 0, listenHost(host));
    const issuer = `${options.tls ? "https" : "http"}://${formatAuthority(host, port)}`;
    target.issuer = issuer;

    const { default: ProviderClass, errors } = await quietly(options.logger, () => import("oidc-provider"));
    const provider = await quietly(options.logger, () => new ProviderClass(issuer, buildConfiguration(options, store, errors)));
    registerTokenExchange(provider, errors);
    // Behind the TLS front: trust its X-Forwarded-Proto, so every URL the provider makes is https.
    if (options.tls) provider.proxy = true;
    if (options.autoLogin) provider.use(autoLoginMiddleware(provider, options.autoLogin));
    exposeErrorDetail(provider);
    if (options.logger) logProviderEvents(provider, options.logger);

    const callback = provider.callback();
    const internal = createServer((req, res) => runOnClock(clock, () => callback(req, res)));
    servers.push(internal);
    target.internalPort = await listen(internal, 0, "127.0.0.1");

    options.logger?.(`sandbox issuer ${issuer}`);
    return { issuer, port, clients: sandboxClients(options), close };
  } catch (err) {
    await close();
    throw err;
  }
}

type ProviderError = { error?: string; error_description?: string; error_detail?: string; message?: string };

/**
 * oidc-provider answers every invalid_grant with "grant request is invalid" and keeps the reason
 * (expired, already consumed, verifier missing…) to itself. The sandbox is for finding out why, so
 * the reason goes into the token endpoint's error_description, as Keycloak and Okta do.
 * The event fires after the body is set and before Koa serialises it.
 */
function exposeErrorDetail(provider: Provider): void {
  provider.on("grant.error", (ctx: { body?: unknown }, err: ProviderError) => {
    const body = ctx.body as { error_description?: unknown } | undefined;
    if (!err.error_detail || typeof body !== "object" || body === null || typeof body.error_description !== "string") return;
    body.error_description = `${body.error_description} (${err.error_detail})`;
  });
}

/** Protocol errors as the provider saw them: the text a client often never gets to show. */
function logProviderEvents(provider: Provider, log: (line: string) => void): void {
  const describe = (err: ProviderError) =>
    err.error
      ? `${err.error}${err.error_description ? `: ${err.error_description}` : ""}${err.error_detail ? ` (${err.error_detail})` : ""}`
      : String(err.message);
  for (const event of ["authorization.error", "grant.error", "introspection.error", "revocation.error", "userinfo.error"]) {
    provider.on(event, (_ctx: unknown, err: Parameters<typeof describe>[0]) => log(`${event} ${describe(err)}`));
  }
  provider.on("server_error", (_ctx: unknown, err: Error) => log(`server_error ${err.stack ?? err.message}`));
}

/**
 * oidc-provider 9 warns "Unsupported runtime" on every Node before 22 LTS. The sandbox runs on
 * Node 20.18 and later (the README says so; the test suite runs it on 20 and 24), so this one
 * line, exactly, is not shown: a warning the README contradicts only confuses. Every other
 * notice and warning still reaches the logger.
 */
export const RUNTIME_WARNING = "oidc-provider WARNING: Unsupported runtime. Use Node.js v22.x LTS, or a later LTS release.";

/**
 * oidc-provider prints its start-up notices (e.g. "devInteractions is enabled") with console.info
 * and console.warn; the sandbox is meant to be a dev server, so they go to the logger instead of
 * polluting the CLI's stdout. Only while loading the module and constructing the provider.
 */
async function quietly<T>(log: ((line: string) => void) | undefined, fn: () => T | Promise<T>): Promise<T> {
  const { info, warn } = console;
  const route = (original: (...args: unknown[]) => void) => (...args: unknown[]) => {
    const line = args.map(String).join(" ").replace(/\x1b\[[0-9;]*m/g, "");
    if (line === RUNTIME_WARNING) return;
    if (line.includes("oidc-provider")) log?.(line);
    else original.apply(console, args);
  };
  console.info = route(info);
  console.warn = route(warn);
  try {
    return await fn();
  } finally {
    console.info = info;
    console.warn = warn;
  }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
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
