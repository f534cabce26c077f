import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { startHostileServer, type HostileServer } from "./hostile-server.js";
import { STACK_TRACE } from "./support.js";

/** Inputs that used to end in exit 70 (an internal error) get a clear message and the right code. */

let server: HostileServer;
let root: string;
beforeAll(async () => {
  server = await startHostileServer();
  root = mkdtempSync(join(tmpdir(), "oauth-cli-attack-"));
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe("malformed percent-encoding under -v", () => {
  it("a form response with %zz: the store is written and the tokens printed, exit 0", async () => {
    const store = join(root, "tokens.json");
    const run = await runCli(["client-credentials", "--token-endpoint", `${server.url}/pct/token`, "--client-id", "app", "--auth-method", "none", "-v", "-o", "json", "--store", store]);
    expect(run.stderr).not.toMatch(/URI malformed|internal error/);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout).access_token).toBe("hostile-access-token-1");
    expect(JSON.parse(readFileSync(store, "utf8")).tokens?.access_token ?? readFileSync(store, "utf8")).toContain("hostile-access-token-1");
    expect(run.stderr).toContain("%zz=1");
  });

  it("a token endpoint URL with %zz in its query", async () => {
    const run = await runCli(["client-credentials", "--token-endpoint", `${server.url}/tokens/token?%zz=1&a=%E0%A4%A`, "--client-id", "app", "--auth-method", "none", "-v", "-o", "token"]);
    expect(run.stderr).not.toMatch(/URI malformed|internal error/);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe("hostile-access-token-1\n");
  });

  it("a parameter name with %zz (--param)", async () => {
    const run = await runCli(["client-credentials", "--token-endpoint", `${server.url}/tokens/token`, "--client-id", "app", "--auth-method", "none", "-v", "--param", "%zz=1", "-o", "token"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe("hostile-access-token-1\n");
  });
});

describe("--timeout out of range", () => {
  it.each(["1e20", "Infinity", "99999999", "1e400"])("--timeout %s is a usage error naming the flag", async (value) => {
    const run = await runCli(["client-credentials", "--token-endpoint", `${server.url}/tokens/token`, "--client-id", "app", "--auth-method", "none", "--timeout", value]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--timeout: ".*" is (too large|not a positive number)/);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });

  it("a day is still fine", async () => {
    const run = await runCli(["client-credentials", "--token-endpoint", `${server.url}/tokens/token`, "--client-id", "app", "--auth-method", "none", "--timeout", "86400", "-o", "token"]);
    expect(run.exitCode).toBe(0);
  });
});

describe("values that are not well-formed Unicode", () => {
  // A real argv cannot carry a lone surrogate (Node decodes bad UTF-8 as U+FFFD), but a JSON "\ud800"
  // in a config file can; in-process argv is the short way to hand one over.
  it.each(["--client-id", "--client-secret", "--scope"])("%s with a lone surrogate is sent as U+FFFD, not exit 70", async (flag) => {
    const run = await runCli(["client-credentials", "--token-endpoint", `${server.url}/tokens/token`, "--client-id", "app", flag, "x\ud800", "-o", "token"], {
      env: { OAUTH_CLIENT_SECRET: "s3cret-value" },
    });
    expect(run.stderr).not.toMatch(/URI malformed|internal error/);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe("hostile-access-token-1\n");
  });
});
