import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CallbackHandler, DEFAULT_LIMITS, type LoopbackListener, startListener } from "../../src/loopback/listener.js";
import { renderRejectedPage, renderSuccessPage } from "../../src/loopback/pages.js";
import { startAuthorize } from "../support/authorize.js";
import { completeLoginHttp } from "../support/login.js";
import { PUBLIC, startTestProvider, userinfo, type Sandbox } from "../support/provider.js";

// What any other local process can send to the redirect listener, over real sockets (node:net), while
// a real `authorize` run against the real oidc-provider waits. None of it may end the run.

/** Opens a socket to 127.0.0.1:port and resolves once connected. */
function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => resolve(socket));
    socket.on("error", reject);
  });
}

/** Sends raw bytes and reads until the server closes: the status code (0 when closed without one). */
async function raw(port: number, text: string | Buffer, options: { halfClose?: boolean } = {}): Promise<{ status: number; response: string }> {
  const socket = await open(port);
  return new Promise((resolve) => {
    let response = "";
    socket.on("data", (chunk: Buffer) => (response += chunk.toString("latin1")));
    socket.on("error", () => undefined);
    socket.on("close", () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0), response }));
    socket.write(text);
    if (options.halfClose) socket.end();
  });
}

/** Resolves when the server has closed the socket (we never close it ourselves). */
const closedByServer = (socket: Socket) => new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once("close", () => resolve())));

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestProvider();
});
afterAll(async () => sandbox?.close());

describe("the redirect listener of a waiting authorize run survives hostile local requests", () => {
  it("foreign Host to //, a bad request line, an oversized POST, a POST cut mid-body, a flood of idle sockets: all refused, then the real callback completes with exit 0", async () => {
    const run = startAuthorize(["--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--scope", "openid profile", "-o", "json"]);
    const url = await run.url;
    const redirect = new URL(url.searchParams.get("redirect_uri")!);
    const port = Number(redirect.port);
    const host = `Host: 127.0.0.1:${port}`;

    // A foreign Host with a target that does not parse as a URL path ("Invalid URL" once ended the run).
    expect((await raw(port, "GET // HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")).status).toBe(400);
    // The same target with a loopback Host: not the callback path.
    expect((await raw(port, `GET // HTTP/1.1\r\n${host}\r\nConnection: close\r\n\r\n`)).status).toBe(404);
    // An absolute-form target with a foreign authority is still judged by its path.
    expect((await raw(port, `GET http://evil.example/ HTTP/1.1\r\n${host}\r\nConnection: close\r\n\r\n`)).status).toBe(404);
    // Not HTTP at all.
    expect((await raw(port, "HELLO THERE\r\n\r\n")).status).toBe(400);
    expect((await raw(port, Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00]))).status).toBe(400);
    // A form_post over 64 KB, announced and not announced (chunked).
    const big = "a=".padEnd(70 * 1024, "x");
    expect((await raw(port, `POST ${redirect.pathname} HTTP/1.1\r\n${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${big.length}\r\n\r\n${big}`)).status).toBe(413);
    const chunk = big.length.toString(16);
    expect((await raw(port, `POST ${redirect.pathname} HTTP/1.1\r\n${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n${chunk}\r\n${big}\r\n0\r\n\r\n`)).status).toBe(413);
    // A POST cut off mid-body: the client goes away after 10 of 1000 bytes.
    const cut = await open(port);
    cut.write(`POST ${redirect.pathname} HTTP/1.1\r\n${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ncode=abcde`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    cut.destroy();
    // Half a request (slowloris) and then silence, then more idle sockets than the listener keeps.
    const slow = await open(port);
    slow.write(`GET ${redirect.pathname}?code=x HTTP/1.1\r\n${host}\r\nX-Slow: `);
    const idle: Socket[] = [slow];
    for (let i = 0; i < DEFAULT_LIMITS.maxConnections + 8; i++) idle.push(await open(port));
    // The oldest ones were pushed out to make room (the slowloris socket first of all).
    await closedByServer(slow);
    await Promise.all(idle.slice(0, 9).map(closedByServer));

    // Still waiting: the run has not ended.
    let ended = false;
    void run.done.then(() => (ended = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(ended).toBe(false);

    // The real sign-in, while the idle sockets still hold the listener at its bound.
    const final = await completeLoginHttp(url.href);
    const page = await fetch(final);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Signed in");
    const { exitCode, stdout, stderr } = await run.done;
    for (const socket of idle) socket.destroy();
    expect(stderr).not.toMatch(/internal error|Invalid URL/);
    expect(exitCode).toBe(0);
    expect(await userinfo(sandbox, JSON.parse(stdout).access_token)).toMatchObject({ sub: "alice" });
    // Refused hosts are said once, not once per request.
    expect(stderr.match(/refused a request for host "evil\.example"/g)).toHaveLength(1);
  }, 60_000);
});

describe("the listener's connection limits (lowered here so they can be seen)", () => {
  const notices: string[] = [];
  const handler: CallbackHandler<string> = (params) =>
    params.get("ok") === "1" ? { accepted: Promise.resolve({ page: renderSuccessPage({ exchanged: true }), result: params.get("v") ?? "" }) } : { keepWaiting: renderRejectedPage("not ours") };
  const listen = (limits: Parameters<typeof startListener>[0]["limits"]) => startListener({ host: "127.0.0.1", port: 0, path: "/callback", notify: (line) => notices.push(line), limits });
  const waitFor = (l: LoopbackListener, h: CallbackHandler<string> = handler) => l.wait(h, { timeoutMs: 30_000, signal: new AbortController().signal });

  it("a silent connection is closed after the idle limit", async () => {
    const l = await listen({ idleMs: 200 });
    try {
      const result = waitFor(l);
      const silent = await open(l.port);
      await closedByServer(silent);
      await raw(l.port, `GET /callback?ok=1&v=after-idle HTTP/1.1\r\nHost: 127.0.0.1:${l.port}\r\n\r\n`);
      expect(await result).toBe("after-idle");
    } finally {
      await l.close();
    }
  });

  it("a slowloris connection that keeps sending header bytes is closed at the headers limit", async () => {
    const l = await listen({ headersMs: 300, idleMs: 60_000 });
    try {
      const result = waitFor(l);
      const slow = await open(l.port);
      slow.on("error", () => undefined);
      slow.write(`GET /callback?ok=1&v=slow HTTP/1.1\r\nHost: 127.0.0.1:${l.port}\r\n`);
      // One header byte every 50 ms keeps it from ever being idle.
      const drip = setInterval(() => slow.writable && slow.write("X"), 50);
      await closedByServer(slow);
      clearInterval(drip);
      await raw(l.port, `GET /callback?ok=1&v=real HTTP/1.1\r\nHost: 127.0.0.1:${l.port}\r\n\r\n`);
      expect(await result).toBe("real");
    } finally {
      await l.close();
    }
  });

  it("at the connection bound, the oldest idle connection makes room; a request in progress is not cut off", async () => {
    const l = await listen({ maxConnections: 3, idleMs: 60_000 });
    try {
      const result = waitFor(l);
      // A POST whose body is still coming: a request in progress, so not the one pushed out.
      const busy = await open(l.port);
      let answer = "";
      busy.on("data", (c: Buffer) => (answer += c.toString("latin1")));
      // "Expect: 100-continue" makes the server say when it has the headers, i.e. the request is in progress.
      const started = new Promise<void>((resolve) => busy.on("data", () => answer.includes("100 Continue") && resolve()));
      busy.write(`POST /callback HTTP/1.1\r\nHost: 127.0.0.1:${l.port}\r\nExpect: 100-continue\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 15\r\n\r\n`);
      await started;
      busy.write("ok=1");
      const idle = [await open(l.port), await open(l.port)];
      const third = await open(l.port);
      await closedByServer(idle[0]!);
      expect(busy.destroyed).toBe(false);
      busy.write("&v=complete");
      expect(await result).toBe("complete");
      await closedByServer(busy);
      expect(answer).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200/);
      for (const s of [...idle, third]) s.destroy();
    } finally {
      await l.close();
    }
  });

  it("an accepted callback whose page waits on a slow exchange is not cut off by the idle limit", async () => {
    const l = await listen({ idleMs: 150 });
    try {
      const slowExchange: CallbackHandler<string> = () => ({
        accepted: new Promise((resolve) => setTimeout(() => resolve({ page: renderSuccessPage({ exchanged: true }), result: "slow" }), 600)),
      });
      const result = waitFor(l, slowExchange);
      const answer = await raw(l.port, `GET /callback?x=1 HTTP/1.1\r\nHost: 127.0.0.1:${l.port}\r\n\r\n`);
      expect(answer.status).toBe(200);
      expect(answer.response).toContain("Signed in");
      expect(await result).toBe("slow");
    } finally {
      await l.close();
    }
  });
});
