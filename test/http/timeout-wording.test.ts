import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyFailure } from "../../src/http/send.js";
import { runCli } from "../support/cli.js";

/**
 * A server that stalls, on purpose: one that takes the request and never answers, and one that
 * sends the headers and then stops in the middle of the body. No real authorization server does
 * either on demand, hence this stand-in.
 */
let server: Server;
let url: string;
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.startsWith("/half")) {
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      res.write('{"access_token":"');
    }
    // Otherwise: never answer.
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

describe("a timeout is said in words, with no code in brackets", () => {
  it.each([
    ["no answer at all", "/token"],
    ["the body stops half way", "/half/token"],
  ])("%s: exit 3, 'no answer within 0.5 s', no (23) nor an undici code", async (_what, path) => {
    // --timeout takes fractions of a second: half a second of real waiting is enough to see the wording.
    const run = await runCli(["client-credentials", "--token-endpoint", `${url}${path}`, "--client-id", "app", "--timeout", "0.5", "-v"]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain(`could not reach the token endpoint at ${url}${path}: no answer within 0.5 s\n`);
    expect(run.stderr).toContain("* failed: no answer within 0.5 s\n");
    expect(run.stderr).not.toMatch(/\(\d+\)|UND_ERR/);
  });
});

describe("the timeouts the stand-in cannot produce (a connect that never completes) are worded the same", () => {
  it("undici's connect, headers and body timeouts, and AbortSignal.timeout's DOMException (legacy code 23), carry no code", () => {
    const live = new AbortController().signal;
    const failures = [
      classifyFailure(Object.assign(new Error("Connect Timeout Error"), { code: "UND_ERR_CONNECT_TIMEOUT" }), { timeoutMs: 1000 }, live),
      classifyFailure(Object.assign(new Error("Headers Timeout Error"), { code: "UND_ERR_HEADERS_TIMEOUT" }), { timeoutMs: 1000 }, live),
      classifyFailure(Object.assign(new Error("Body Timeout Error"), { code: "UND_ERR_BODY_TIMEOUT" }), { timeoutMs: 1000 }, live),
      classifyFailure(new DOMException("The operation was aborted due to timeout", "TimeoutError"), { timeoutMs: 1000 }, AbortSignal.abort()),
    ];
    for (const failure of failures) expect(failure).toEqual({ kind: "timeout", message: "no answer within 1 s" });
  });
});
