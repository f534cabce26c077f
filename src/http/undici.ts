import type { Dispatcher } from "undici";
import { setShortRunV8Flags } from "../startup/v8-flags.js";

/**
 * undici, loaded piece by piece. `import "undici"` evaluates every dispatcher, fetch, WebSocket,
 * cache and mock module (~130 ms on a small machine); a token request needs an Agent, maybe a
 * proxy agent, and the request API. Loaded only when a command actually sends something, with
 * `import()` of literal paths so the bundler (build.mjs) can put them in a lazy chunk.
 */
type AgentCtor = new (options?: object) => Dispatcher;
type RequestFn = (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

export async function loadAgent(): Promise<AgentCtor> {
  const agent = await import("undici/lib/dispatcher/agent.js");
  // After undici has loaded, before the first request: see setShortRunV8Flags.
  await setShortRunV8Flags();
  return agent.default as AgentCtor;
}

export async function loadEnvProxyAgent(): Promise<AgentCtor> {
  // The proxy agent tunnels with `dispatcher.connect()`, which undici's index attaches to every
  // dispatcher from its API modules; do the same for the two it uses.
  const [dispatcher, connect, request, proxyAgent] = await Promise.all([
    import("undici/lib/dispatcher/dispatcher.js"),
    import("undici/lib/api/api-connect.js"),
    import("undici/lib/api/api-request.js"),
    import("undici/lib/dispatcher/env-http-proxy-agent.js"),
  ]);
  const prototype = (dispatcher.default as { prototype: Record<string, unknown> }).prototype;
  prototype.connect ??= connect.default;
  prototype.request ??= request.default;
  // After undici has loaded, before the first request: see setShortRunV8Flags.
  await setShortRunV8Flags();
  return proxyAgent.default as AgentCtor;
}

export async function loadRequest(): Promise<RequestFn> {
  return (await import("undici/lib/api/api-request.js")).default as RequestFn;
}
