import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { isPortFree, startSandboxCommand } from "../support/sandbox-command.js";

const BIN = fileURLToPath(new URL("../../bin/oauth-cli.js", import.meta.url));
const DEFAULT_PORT = 8933;

describe("oauth-cli sandbox", () => {
  it("--json prints one line with the issuer, the clients with their secrets, and a command per flow", async () => {
    const sandbox = await startSandboxCommand(["--port", "0", "-q"]);
    try {
      const { info } = sandbox;
      expect(sandbox.ctx.out().trim().split("\n")).toHaveLength(1);
      expect(sandbox.issuer).toBe(`http://127.0.0.1:${sandbox.port}`);
      expect(info.clients).toEqual([
        expect.objectContaining({ client_id: "sandbox-public", token_endpoint_auth_method: "none" }),
        expect.objectContaining({ client_id: "sandbox-basic", client_secret: "sandbox-basic-secret", token_endpoint_auth_method: "client_secret_basic" }),
        expect.objectContaining({ client_id: "sandbox-post", client_secret: "sandbox-post-secret", token_endpoint_auth_method: "client_secret_post" }),
        expect.objectContaining({ client_id: "sandbox-jwt-secret", token_endpoint_auth_method: "client_secret_jwt" }),
        expect.objectContaining({ client_id: "sandbox-device", token_endpoint_auth_method: "none" }),
        expect.objectContaining({ client_id: "sandbox-dpop", client_secret: "sandbox-dpop-secret", token_endpoint_auth_method: "client_secret_basic" }),
        expect.objectContaining({ client_id: "sandbox-par", token_endpoint_auth_method: "none" }),
        expect.objectContaining({ client_id: "sandbox-exchange", client_secret: "sandbox-exchange-secret", token_endpoint_auth_method: "client_secret_basic" }),
      ]);
      const commands = info.commands as Record<string, string>;
      expect(Object.keys(commands)).toEqual(["authorize", "exchange", "refresh", "clientCredentials", "decodeError", "device", "tokenExchange", "introspect", "revoke", "userinfo", "request"]);
      // The endpoints a token's later life uses, as the server's own discovery document lists them.
      const endpoints = info.endpoints as Record<string, string>;
      const published = (await (await fetch(`${sandbox.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
      expect(endpoints).toEqual({ introspection: published.introspection_endpoint, revocation: published.revocation_endpoint, userinfo: published.userinfo_endpoint });
      for (const name of ["authorize", "exchange", "refresh", "clientCredentials", "device"]) expect(commands[name]).toContain(`--issuer ${sandbox.issuer}`);
      // The server behind it is real: discovery answers with that issuer.
      const doc = (await (await fetch(`${sandbox.issuer}/.well-known/openid-configuration`)).json()) as { issuer: string };
      expect(doc.issuer).toBe(sandbox.issuer);
    } finally {
      expect(await sandbox.stop()).toBe(0);
    }
    expect(await isPortFree(sandbox.port)).toBe(true);
    expect(sandbox.ctx.err()).toContain("sandbox stopped");
  });

  it("the pasted client-credentials command works against it as printed", async () => {
    const sandbox = await startSandboxCommand(["--port", "0", "-q"]);
    try {
      const printed = (sandbox.info.commands as Record<string, string>).clientCredentials;
      const [assignment, , ...argv] = printed.split(" ");
      const [name, value] = assignment!.split("=");
      const run = await runCli([...argv, "-o", "json"], { env: { [name!]: value } });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ token_type: "Bearer", scope: "api:read" });
    } finally {
      await sandbox.stop();
    }
  });

  it("the pasted token-exchange command works as printed, given a client-credentials token on standard input", async () => {
    const sandbox = await startSandboxCommand(["--port", "0", "-q"]);
    try {
      const commands = sandbox.info.commands as Record<string, string>;
      const run = async (printed: string, stdin?: string) => {
        const [assignment, , ...argv] = printed.split(" ");
        const [name, value] = assignment!.split("=");
        return runCli([...argv, "-o", "json"], { env: { [name!]: value }, stdin });
      };
      const subject = await run(commands.clientCredentials!);
      const exchanged = await run(commands.tokenExchange!, JSON.parse(subject.stdout).access_token);
      expect(exchanged.exitCode, exchanged.stderr).toBe(0);
      expect(JSON.parse(exchanged.stdout)).toMatchObject({ issued_token_type: "urn:ietf:params:oauth:token-type:access_token", audience: "https://api.sandbox.test" });
    } finally {
      await sandbox.stop();
    }
  });

  it("the human banner names the issuer, the clients with secrets, and the commands to paste", async () => {
    const interrupt = new AbortController();
    const { createTestContext } = await import("../support/cli.js");
    const { main } = await import("../../src/main.js");
    const ctx = createTestContext({ signal: interrupt.signal });
    const exit = main(["sandbox", "--port", "0", "--auto-login", "bob", "--code-ttl", "5", "--device-code-ttl", "30"], ctx);
    while (!ctx.out().includes("decode-error")) await new Promise((r) => setTimeout(r, 10));
    interrupt.abort();
    expect(await exit).toBe(0);
    const out = ctx.out();
    expect(out).toMatch(/issuer {2}http:\/\/127\.0\.0\.1:\d+/);
    expect(out).toMatch(/sandbox-basic +secret sandbox-basic-secret +client_secret_basic/);
    expect(out).toMatch(/sandbox-post +secret sandbox-post-secret +client_secret_post/);
    expect(out).toMatch(/sandbox-public +no secret +none/);
    expect(out).toContain('login: automatic as "bob"');
    expect(out).toContain("authorization codes expire after 5 s");
    expect(out).toMatch(/sandbox-device +no secret +none/);
    expect(out).toContain("device codes (device flow) expire after 30 s");
    expect(out).toMatch(/oauth-cli device --issuer http:\/\/127\.0\.0\.1:\d+ --client-id sandbox-device/);
    expect(out).toMatch(/oauth-cli authorize --issuer http:\/\/127\.0\.0\.1:\d+ --client-id sandbox-public/);
  });

  it("refuses any host that is not loopback: exit 2, a message naming the flag, nothing listening", async () => {
    for (const host of ["0.0.0.0", "192.168.1.10", "example.com", "::"]) {
      const run = await runCli(["sandbox", "--host", host, "--port", "0"]);
      expect(run.exitCode, host).toBe(2);
      expect(run.stderr).toContain(`--host ${host}`);
      expect(run.stderr).toMatch(/only listens on loopback/);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.stdout).toBe("");
    }
  });

  it("bad knob values are usage errors naming the flag", async () => {
    for (const [argv, flag] of [
      [["--code-ttl", "soon"], "--code-ttl"],
      [["--port", "70000"], "--port"],
      [["--rotate-refresh-tokens", "maybe"], "--rotate-refresh-tokens"],
      [["--clock-skew", "1.5"], "--clock-skew"],
      [["--device-code-ttl", "0"], "--device-code-ttl"],
    ] as const) {
      const run = await runCli(["sandbox", ...argv]);
      expect(run.exitCode, argv.join(" ")).toBe(2);
      expect(run.stderr).toContain(flag);
    }
  });

  it("falls back to a free port with a note when the default port is taken; an explicit taken --port is exit 2", async () => {
    const blocker: Server = createServer();
    const blocked = await new Promise<boolean>((resolve) => {
      blocker.once("error", () => resolve(false));
      blocker.listen(DEFAULT_PORT, "127.0.0.1", () => resolve(true));
    });
    try {
      // Either we hold the port or something else on this machine does: it is taken both ways.
      expect(await isPortFree(DEFAULT_PORT)).toBe(false);
      const sandbox = await startSandboxCommand(["-q"]);
      await sandbox.stop();
      expect(sandbox.port).not.toBe(DEFAULT_PORT);
      expect(sandbox.ctx.err()).toContain(`the default port ${DEFAULT_PORT} is in use; the sandbox listens on ${sandbox.port} instead`);

      const explicit = await runCli(["sandbox", "--port", String(DEFAULT_PORT)]);
      expect(explicit.exitCode).toBe(2);
      expect(explicit.stderr).toContain(`--port ${DEFAULT_PORT}: the port is in use`);
    } finally {
      if (blocked) await new Promise((resolve) => blocker.close(resolve));
    }
  });

  describe("as a process (bin/oauth-cli.js, built by npm test)", () => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      it(`stops cleanly on ${signal}: exit 0 and the port is free`, async () => {
        expect(existsSync(fileURLToPath(new URL("../../dist/commands/sandbox/run.js", import.meta.url))), "dist/ is missing the sandbox command: run npm run build").toBe(true);
        const child = spawn(process.execPath, [BIN, "sandbox", "--json", "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
        const line = await new Promise<string>((resolve, reject) => {
          child.stdout.on("data", (d: Buffer) => {
            stdout += d.toString();
            if (stdout.includes("\n")) resolve(stdout.slice(0, stdout.indexOf("\n")));
          });
          child.once("exit", (code) => reject(new Error(`exited ${code} before its JSON line: ${stderr}`)));
        });
        const { issuer, port } = JSON.parse(line) as { issuer: string; port: number };
        expect((await fetch(`${issuer}/.well-known/openid-configuration`)).status).toBe(200);
        child.kill(signal);
        expect(await exited, stderr).toBe(0);
        expect(stderr).toContain("sandbox stopped");
        expect(await isPortFree(port)).toBe(true);
      });
    }
  });
});
