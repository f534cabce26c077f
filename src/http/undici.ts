import type { Dispatcher } from "undici";

/**
 * undici, loaded piece by piece. `import "undici"` evaluates every dispatcher, fetch, WebSocket,
 * cache and mock module (~130 ms on a small machine); a token request needs an Agent, maybe a
 * proxy agent, and the request API. Loaded only when a command actually sends something, with
 * `import()` of literal paths so the bundler (build.mjs) can put them in a lazy chunk.
 */
type AgentCtor = new (options?: object) => Dispatcher;
type RequestFn = (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

let wasmTuned = false;

/**
 * undici parses HTTP/1 with llhttp compiled to WebAssembly. On Node 20, V8 then optimises that
 * module with TurboFan in the background and the process waits for it before it can exit: ~170 ms
 * of idle after the output is printed. The baseline compiler (Liftoff) is plenty for one token
 * response. Must run before the first request instantiates llhttp, and is best run after undici
 * has loaded: once a V8 flag changes, Node 20 can no longer use its built-in modules' code cache
 * and compiles node:http, node:net and the rest from source (~6 ms more).
 */
async function tuneWasmForShortRuns(): Promise<void> {
  if (wasmTuned) return;
  wasmTuned = true;
  // Node 24 exits at once without it; there, skip even loading node:v8.
  if (Number(process.versions.node.split(".")[0]) >= 24) return;
  const { setFlagsFromString } = await import("node:v8");
  setFlagsFromString("--liftoff-only");
}

export async function loadAgent(): Promise<AgentCtor> {
  const agent = await import("undici/lib/dispatcher/agent.js");
  await tuneWasmForShortRuns();
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
  await tuneWasmForShortRuns();
  return proxyAgent.default as AgentCtor;
}

export async function loadRequest(): Promise<RequestFn> {
  return (await import("undici/lib/api/api-request.js")).default as RequestFn;
}
