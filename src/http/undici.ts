import { createRequire } from "node:module";
import type { Dispatcher } from "undici";

/**
 * undici, loaded piece by piece. `import "undici"` evaluates every dispatcher, fetch, WebSocket,
 * cache and mock module (~130 ms on a small machine); a token request needs an Agent, maybe a
 * proxy agent, and the request API. Loaded only when a command actually sends something.
 */
const require = createRequire(import.meta.url);

type AgentCtor = new (options?: object) => Dispatcher;
type RequestFn = (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

export function loadAgent(): AgentCtor {
  return require("undici/lib/dispatcher/agent.js") as AgentCtor;
}

export function loadEnvProxyAgent(): AgentCtor {
  // The proxy agent tunnels with `dispatcher.connect()`, which undici's index attaches to every
  // dispatcher from its API modules; do the same for the two it uses.
  const Dispatcher = require("undici/lib/dispatcher/dispatcher.js") as { prototype: Record<string, unknown> };
  Dispatcher.prototype.connect ??= require("undici/lib/api/api-connect.js");
  Dispatcher.prototype.request ??= require("undici/lib/api/api-request.js");
  return require("undici/lib/dispatcher/env-http-proxy-agent.js") as AgentCtor;
}

export function loadRequest(): RequestFn {
  return require("undici/lib/api/api-request.js") as RequestFn;
}
