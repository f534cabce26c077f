import { request } from "node:http";
import { createServer as createNetServer } from "node:net";
import { networkInterfaces } from "node:os";
import { describe, expect, it } from "vitest";
import { InterruptedError, NetworkError, UsageError } from "../../src/errors/cli-error.js";
import { type CallbackHandler, type LoopbackListener, startListener } from "../../src/loopback/listener.js";
import { renderRejectedPage, renderSuccessPage } from "../../src/loopback/pages.js";

// A real listener on real sockets, and real HTTP requests to it.
const notices: string[] = [];
const open = (host: "127.0.0.1" | "localhost" | "[::1]" = "127.0.0.1", port = 0) =>
  startListener({ host, port, path: "/callback", notify: (line) => notices.push(line) });

/** Accepts ?ok=1, refuses the rest with 400 and keeps waiting. */
const handler: CallbackHandler<string> = (params) =>
  params.get("ok") === "1" ? { accepted: Promise.resolve({ page: renderSuccessPage({ exchanged: true }), result: params.get("v") ?? "" }) } : { keepWaiting: renderRejectedPage("not ours") };

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function canBind(port: number, host: string): Promise<boolean> {
  const probe = createNetServer();
  return new Promise((resolve) => {
    probe.once("error", () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

async function withListener<T>(listener: LoopbackListener, body: (l: LoopbackListener) => Promise<T>): Promise<T> {
  try {
    return await body(listener);
  } finally {
    await listener.close();
  }
}

describe("loopback listener", () => {
  it("binds 127.0.0.1 only on an ephemeral port; 404s other paths; 400s refused callbacks and keeps waiting; resolves on the accepted one", async () => {
    await withListener(await open(), async (l) => {
      expect(l.addresses).toEqual([`127.0.0.1:${l.port}`]);
      expect(l.redirectUri).toBe(`http://127.0.0.1:${l.port}/callback`);
      expect(l.port).toBeGreaterThan(1023);
      const result = l.wait(handler, { timeoutMs: 30_000, signal: new AbortController().signal });
      const favicon = await get(`http://127.0.0.1:${l.port}/favicon.ico`);
      expect(favicon.status).toBe(404);
      expect((await get(`http://127.0.0.1:${l.port}/callback/extra?ok=1`)).status).toBe(404);
      expect((await get(`http://127.0.0.1:${l.port}/CALLBACK?ok=1`)).status).toBe(404);
      const refused = await get(`${l.redirectUri}?ok=0`);
      expect(refused.status).toBe(400);
      const ok = await get(`${l.redirectUri}?ok=1&v=hello`);
      expect(ok.status).toBe(200);
      expect(ok.headers["cache-control"]).toBe("no-store");
      expect(ok.headers["referrer-policy"]).toBe("no-referrer");
      expect(String(ok.headers["content-security-policy"])).toContain("default-src 'none'");
      expect(await result).toBe("hello");
    });
  });

  it("is not reachable on a non-loopback address of this machine (never 0.0.0.0, RFC 8252 §8.3)", async () => {
    const lan = Object.values(networkInterfaces()).flat().find((i) => i && i.family === "IPv4" && !i.internal);
    await withListener(await open(), async (l) => {
      // The port is free on the wildcard-less LAN address: nothing of ours listens there.
      if (lan) await expect(get(`http://${lan.address}:${l.port}/callback?ok=1`)).rejects.toThrow(/ECONNREFUSED/);
      expect(await canBind(l.port, "127.0.0.1")).toBe(false);
    });
  });

  it("refuses a request addressed to a foreign host name (DNS rebinding) with 400 and keeps waiting", async () => {
    await withListener(await open(), async (l) => {
      const result = l.wait(handler, { timeoutMs: 30_000, signal: new AbortController().signal });
      const rebound = await get(`${l.redirectUri}?ok=1&v=evil`, { host: `attacker.example:${l.port}` });
      expect(rebound.status).toBe(400);
      expect(notices.join("\n")).toContain('refused a request for host "attacker.example"');
      await get(`${l.redirectUri}?ok=1&v=real`);
      expect(await result).toBe("real");
    });
  });

  it("accepts a form_post callback (POST, form-encoded body)", async () => {
    await withListener(await open(), async (l) => {
      const result = l.wait(handler, { timeoutMs: 30_000, signal: new AbortController().signal });
      const res = await fetch(l.redirectUri, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "ok=1&v=posted" });
      expect(res.status).toBe(200);
      expect(await result).toBe("posted");
    });
  });

  it("a port in use is a UsageError (exit 2) that says what to do", async () => {
    await withListener(await open(), async (first) => {
      const attempt = open("127.0.0.1", first.port);
      await expect(attempt).rejects.toBeInstanceOf(UsageError);
      await expect(attempt).rejects.toThrow(`port ${first.port} on 127.0.0.1 is already in use`);
    });
  });

  it("gives up after the wait time with a NetworkError (exit 3) naming the URL, and closes", async () => {
    const l = await open();
    await withListener(l, async () => {
      const error = await l.wait(handler, { timeoutMs: 50, signal: new AbortController().signal }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).message).toBe(`no redirect reached ${l.redirectUri} within 0.05 s`);
    });
    expect(await canBind(l.port, "127.0.0.1")).toBe(true);
  });

  it("an abort (Ctrl-C) rejects with InterruptedError; close frees the port even with a keep-alive connection open", async () => {
    const interrupt = new AbortController();
    const l = await open();
    await withListener(l, async () => {
      const waiting = l.wait(handler, { timeoutMs: 30_000, signal: interrupt.signal });
      // A browser keeps its connection open after a page.
      const res = await fetch(`http://127.0.0.1:${l.port}/favicon.ico`, { headers: { connection: "keep-alive" } });
      await res.text();
      interrupt.abort();
      await expect(waiting).rejects.toBeInstanceOf(InterruptedError);
    });
    expect(await canBind(l.port, "127.0.0.1")).toBe(true);
  });

  it("localhost listens on 127.0.0.1 and ::1 with the same port; both reach the handler", async () => {
    await withListener(await open("localhost"), async (l) => {
      expect(l.addresses).toEqual([`127.0.0.1:${l.port}`, `[::1]:${l.port}`]);
      expect(l.redirectUri).toBe(`http://localhost:${l.port}/callback`);
      const result = l.wait(handler, { timeoutMs: 30_000, signal: new AbortController().signal });
      expect((await get(`http://127.0.0.1:${l.port}/callback?ok=0`)).status).toBe(400);
      expect((await get(`http://[::1]:${l.port}/callback?ok=1&v=six`)).status).toBe(200);
      expect(await result).toBe("six");
    });
  });

  it("[::1] listens on IPv6 loopback only", async () => {
    await withListener(await open("[::1]"), async (l) => {
      expect(l.addresses).toEqual([`[::1]:${l.port}`]);
      expect(l.redirectUri).toBe(`http://[::1]:${l.port}/callback`);
      await expect(get(`http://127.0.0.1:${l.port}/callback`)).rejects.toThrow(/ECONNREFUSED/);
    });
  });

  it("after the accepted callback, any further callback gets the harmless 'already received' page", async () => {
    let release!: () => void;
    let accepted!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const firstAccepted = new Promise<void>((resolve) => (accepted = resolve));
    const slow: CallbackHandler<string> = () => {
      accepted();
      return { accepted: gate.then(() => ({ page: renderSuccessPage({ exchanged: true }), result: "first" })) };
    };
    await withListener(await open(), async (l) => {
      const result = l.wait(slow, { timeoutMs: 30_000, signal: new AbortController().signal });
      const first = get(`${l.redirectUri}?ok=1`);
      // The first one is accepted and still being handled (gate closed) when the second arrives.
      await firstAccepted;
      const second = await get(`${l.redirectUri}?ok=1`);
      expect(second.status).toBe(200);
      expect(second.body).toContain("already received");
      release();
      expect((await first).body).toContain("Signed in");
      expect(await result).toBe("first");
    });
  });
});
