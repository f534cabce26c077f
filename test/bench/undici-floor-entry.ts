// The floor of `client-credentials` (test/bench/undici-floor.mjs bundles it): the same request(s)
// through undici's Agent and request API, loaded as the CLI loads them (lazy chunks of one
// bundle), with the same V8 flags for llhttp; no commander, no module of ours but the V8 flags.
import type { Dispatcher } from "undici";
import { restoreV8Flags, setShortRunV8Flags } from "../../src/startup/v8-flags.js";

export { restoreV8Flags };

type Json = Record<string, unknown>;

/** Same argv as the bench's bare node:http script: [--discover] BASE CLIENT_ID CLIENT_SECRET. */
export async function runProcess(argv: readonly string[]): Promise<number> {
  const discover = argv[0] === "--discover";
  const [base = "", id = "", secret = ""] = argv.slice(discover ? 1 : 0);
  const [agentModule, requestModule] = await Promise.all([import("undici/lib/dispatcher/agent.js"), import("undici/lib/api/api-request.js")]);
  await setShortRunV8Flags();
  const Agent = agentModule.default as new (options: object) => Dispatcher;
  const request = requestModule.default as (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
  const agent = new Agent({ connect: { timeout: 30_000 }, headersTimeout: 30_000, bodyTimeout: 30_000 });
  const send = async (url: URL, init: { method: Dispatcher.HttpMethod; headers?: Record<string, string>; body?: string }) => {
    const res = await request.call(agent, { origin: url.origin, path: url.pathname + url.search, ...init });
    const chunks: Buffer[] = [];
    for await (const chunk of res.body as AsyncIterable<Buffer>) chunks.push(chunk);
    return { status: res.statusCode, json: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Json };
  };
  const tokenEndpoint = discover ? String((await send(new URL(`${base}/.well-known/oauth-authorization-server`), { method: "GET" })).json.token_endpoint) : base;
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");
  const { status, json } = await send(new URL(tokenEndpoint), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json", authorization: `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString("base64")}` },
    body: "grant_type=client_credentials",
  });
  process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  await agent.close();
  return status === 200 ? 0 : 1;
}
