import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, request as httpRequest, type Server } from "node:http";
import { type AddressInfo, connect, createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { BASIC, startTestProvider, type Sandbox } from "../support/provider.js";
import { makeTempDir } from "../support/temp.js";

const BIN = fileURLToPath(new URL("../../bin/oauth-cli.js", import.meta.url));
const TOKEN = JSON.stringify({ access_token: "via-proxy", token_type: "Bearer", expires_in: 60 });

interface Recorded {
  /** Every TCP connection the proxy accepted. */
  connections: number;
  /** Request lines ("CONNECT host:port", "POST http://…") and their Proxy-Authorization. */
  requests: { line: string; proxyAuthorization?: string }[];
}

const listen = (server: Server | NetServer) => new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
const close = (server: Server | NetServer) =>
  new Promise<void>((resolve) => {
    (server as Server).closeAllConnections?.();
    server.close(() => resolve());
  });

/** A real forwarding proxy (node:http): CONNECT tunnels and absolute-URI requests, each recorded. */
function recordingProxy(): { server: Server; seen: Recorded } {
  const seen: Recorded = { connections: 0, requests: [] };
  const record = (req: IncomingMessage) => seen.requests.push({ line: `${req.method} ${req.url}`, proxyAuthorization: req.headers["proxy-authorization"] });
  const server = createHttpServer((req, res) => {
    record(req);
    const target = new URL(req.url ?? "");
    const { "proxy-authorization": _credentials, ...headers } = req.headers;
    const upstream = httpRequest(target, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on("connection", () => seen.connections++);
  server.on("connect", (req, client: Socket, head) => {
    record(req);
    const [host, port] = (req.url ?? "").split(":");
    const upstream = connect(Number(port), host!, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  return { server, seen };
}

/**
 * A stand-in for a proxy that does not speak CONNECT: on CONNECT it hangs up (what made undici 7
 * reconnect without end, its issues #3897/#5093) or says nothing at all; an absolute-URI request it
 * answers itself with a token. A fake: no real proxy here behaves like that, and that is what is tested.
 */
function noConnectProxy(onConnect: "hang-up" | "silent"): { server: NetServer; lines: string[] } {
  const lines: string[] = [];
  const server = createNetServer((socket) => {
    socket.on("error", () => undefined);
    socket.once("data", (chunk: Buffer) => {
      const line = chunk.toString("latin1").split("\r\n")[0] ?? "";
      lines.push(line);
      if (line.startsWith("CONNECT ")) return void (onConnect === "hang-up" && socket.destroy());
      socket.end(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${TOKEN.length}\r\nconnection: close\r\n\r\n${TOKEN}`);
    });
  });
  return { server, lines };
}

let sandbox: Sandbox;
let recording: { server: Server; seen: Recorded; url: string };
let noConnect: { server: NetServer; lines: string[]; url: string };
let silent: { server: NetServer; lines: string[]; url: string };

beforeAll(async () => {
  sandbox = await startTestProvider();
  const r = recordingProxy();
  recording = { ...r, url: `http://user:pa55word@127.0.0.1:${await listen(r.server)}` };
  const n = noConnectProxy("hang-up");
  noConnect = { ...n, url: `http://127.0.0.1:${await listen(n.server)}` };
  const q = noConnectProxy("silent");
  silent = { ...q, url: `http://127.0.0.1:${await listen(q.server)}` };
});

afterAll(async () => {
  await Promise.all([sandbox?.close(), recording && close(recording.server), noConnect && close(noConnect.server), silent && close(silent.server)]);
});

const proxyEnv = (url: string, extra: Record<string, string> = {}) => ({ HTTP_PROXY: url, HTTPS_PROXY: url, http_proxy: url, https_proxy: url, ...extra });
const sandboxToken = (env: Record<string, string>, issuer = sandbox.issuer) =>
  runCli(["client-credentials", "--issuer", issuer, "--client-id", BASIC.id, "--scope", "api:read"], { env: { OAUTH_CLIENT_SECRET: BASIC.secret, ...env } });

describe("loopback never goes through HTTP(S)_PROXY unless OAUTH_CLI_PROXY_LOOPBACK=1 says so", () => {
  it("with HTTP_PROXY and HTTPS_PROXY set (with credentials) and no NO_PROXY, a request to 127.0.0.1 goes direct: the proxy sees nothing, the request succeeds", async () => {
    const before = recording.seen.connections;
    const run = await sandboxToken(proxyEnv(recording.url));
    expect(run.stderr).not.toMatch(/error:/);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout).access_token).toBeTruthy();
    expect(recording.seen.connections).toBe(before);
  });

  it("localhost goes direct as well, and succeeds", async () => {
    const before = recording.seen.connections;
    const tokenEndpoint = `${sandbox.issuer.replace("127.0.0.1", "localhost")}/token`;
    const run = await runCli(["client-credentials", "--token-endpoint", tokenEndpoint, "--client-id", BASIC.id, "--scope", "api:read"], { env: { OAUTH_CLIENT_SECRET: BASIC.secret, ...proxyEnv(recording.url) } });
    expect(run.stderr).not.toMatch(/error:/);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout).access_token).toBeTruthy();
    expect(recording.seen.connections).toBe(before);
  });

  it("OAUTH_CLI_PROXY_LOOPBACK=1 sends loopback through the proxy: an absolute-URI request for http://, not a tunnel, with the proxy's credentials", async () => {
    const before = recording.seen.requests.length;
    const run = await sandboxToken(proxyEnv(recording.url, { OAUTH_CLI_PROXY_LOOPBACK: "1" }));
    expect(run.stderr).not.toMatch(/error:/);
    expect(run.exitCode).toBe(0);
    const seen = recording.seen.requests.slice(before);
    expect(seen.map((r) => r.line)).toContain(`POST ${sandbox.issuer}/token`);
    expect(seen.some((r) => r.line.startsWith("CONNECT"))).toBe(false);
    expect(seen.every((r) => r.proxyAuthorization === `Basic ${Buffer.from("user:pa55word").toString("base64")}`)).toBe(true);
  });
});

describe("a proxy that does not speak CONNECT", () => {
  it("an http:// target is sent as an absolute-URI request and succeeds", async () => {
    const before = noConnect.lines.length;
    const run = await runCli(["client-credentials", "--token-endpoint", "http://token.example.test/token", "--client-id", "app", "--timeout", "5"], { env: { OAUTH_CLIENT_SECRET: "s", HTTP_PROXY: noConnect.url } });
    expect(run.stderr).not.toMatch(/error:/);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout).access_token).toBe("via-proxy");
    expect(noConnect.lines.slice(before)).toEqual(["POST http://token.example.test/token HTTP/1.1"]);
  });

  it("an https:// target (which needs CONNECT) fails at once with exit 3, one CONNECT, and says the proxy hung up on it", async () => {
    const before = noConnect.lines.length;
    const run = await runCli(["client-credentials", "--token-endpoint", "https://token.example.test/token", "--client-id", "app", "--timeout", "30"], { env: { OAUTH_CLIENT_SECRET: "s", HTTPS_PROXY: noConnect.url } });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain(`error: could not reach the token endpoint at https://token.example.test/token: the proxy ${new URL(noConnect.url).host} closed the connection when asked to open a tunnel (CONNECT)`);
    expect(run.stderr).toMatch(/hint: An https:\/\/ request through a proxy needs CONNECT/);
    // Not undici's endless reconnect: one attempt.
    expect(noConnect.lines.slice(before)).toEqual(["CONNECT token.example.test:443 HTTP/1.1"]);
  });

  it("a proxy that never answers CONNECT: --timeout holds (exit 3, naming the proxy)", async () => {
    const run = await runCli(["client-credentials", "--token-endpoint", "https://token.example.test/token", "--client-id", "app", "--timeout", "0.5"], { env: { OAUTH_CLIENT_SECRET: "s", HTTPS_PROXY: silent.url } });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/error: could not reach the token endpoint at https:\/\/token\.example\.test\/token: no answer within 0\.5 s/);
    expect(run.stderr).toContain(`hint: The request went to the proxy ${silent.url} (HTTPS_PROXY)`);
  });
});

describe("a proxy that wants credentials", () => {
  // A real node:http proxy that answers 407 to every request and every CONNECT.
  let server: Server;
  let url = "";
  beforeAll(async () => {
    server = createHttpServer((_req, res) => res.writeHead(407, { "proxy-authenticate": 'Basic realm="corp"' }).end());
    server.on("connect", (_req, socket: Socket) => socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\ncontent-length: 0\r\n\r\n'));
    url = `http://127.0.0.1:${await listen(server)}`;
  });
  afterAll(() => close(server));

  it.each(["http", "https"])("%s:// says the proxy wants credentials and where they go (exit 3)", async (scheme) => {
    const run = await runCli(["client-credentials", "--token-endpoint", `${scheme}://token.example.test/token`, "--client-id", "app", "--timeout", "5"], { env: { OAUTH_CLIENT_SECRET: "s", HTTP_PROXY: url, HTTPS_PROXY: url } });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/error: could not reach the token endpoint at https?:\/\/token\.example\.test\/token: the proxy wants credentials \(407 Proxy Authentication Required\)/);
    expect(run.stderr).toMatch(/hint: Put them in the proxy URL \(http:\/\/USER:PASSWORD@host:port/);
  });
});

describe("the built CLI as a process, through a proxy that never answers CONNECT", () => {
  const HOME = makeTempDir("proxy");
  /** Guard only: a run that outlives this is the hang being tested for. Not a speed check. */
  const HANG_GUARD_MS = 60_000;

  function start(args: string[], env: Record<string, string>): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; stderr: string }> } {
    if (!existsSync(fileURLToPath(new URL("../../dist/bundle/oauth-cli.cjs", import.meta.url)))) throw new Error("dist/ is missing: run `npm run build` first (npm test does)");
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH, NO_COLOR: "1", XDG_CONFIG_HOME: join(HOME, "config"), XDG_STATE_HOME: join(HOME, "state"), OAUTH_CLIENT_SECRET: "s", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const guard = setTimeout(() => child.kill("SIGKILL"), HANG_GUARD_MS);
    const done = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) =>
      child.once("close", (code, signal) => {
        clearTimeout(guard);
        resolve({ code, signal, stderr });
      }),
    );
    return { child, done };
  }

  it("--timeout holds: exit 3 with the message, not killed by the guard", async () => {
    const run = await start(["client-credentials", "--token-endpoint", "https://token.example.test/token", "--client-id", "app", "--timeout", "0.5"], { HTTPS_PROXY: silent.url }).done;
    expect(run.signal).toBeNull();
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/no answer within 0\.5 s/);
  }, HANG_GUARD_MS + 10_000);

  it("SIGTERM ends the run while the CONNECT is unanswered: exit 130", async () => {
    const before = silent.lines.length;
    const { child, done } = start(["client-credentials", "--token-endpoint", "https://token.example.test/token", "--client-id", "app", "--timeout", "600"], { HTTPS_PROXY: silent.url });
    // Wait until the CONNECT is out and unanswered, then ask it to stop.
    while (child.exitCode === null && silent.lines.length === before) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill("SIGTERM");
    const run = await done;
    expect(run.signal).toBeNull();
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/interrupted/);
  }, HANG_GUARD_MS + 10_000);
});
