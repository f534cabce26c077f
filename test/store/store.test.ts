import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAuthorize } from "../support/authorize.js";
import { main } from "../../src/main.js";
import { createTestContext, runCli } from "../support/cli.js";
import { completeLoginHttp } from "../support/login.js";
import { BASIC, introspect, PUBLIC, startTestProvider, type Sandbox } from "../support/provider.js";
import { refusingHttp, seedStore, tempDir } from "./support.js";

// In-process runs against the real oidc-provider (rotating refresh tokens, reuse detection).
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestProvider();
});
afterAll(async () => sandbox?.close());

const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
const modeOf = (path: string) => statSync(path).mode & 0o777;

/** A pid that surely belonged to a process that is gone now. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

describe("the store file", () => {
  it("exchange --store writes 0600 in a folder it creates 0700, with the grant's details and a version", async () => {
    const dir = join(tempDir(), "new", "folder");
    const store = join(dir, "tokens.json");
    const printed = await seedStore(sandbox, store);
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(store)).toBe(0o600);
    const saved = readJson(store);
    expect(saved).toMatchObject({
      version: 1,
      access_token: printed.access_token,
      refresh_token: printed.refresh_token,
      id_token: printed.id_token,
      token_endpoint: `${sandbox.issuer}/token`,
      client_id: "sandbox-public",
      expires_at: printed.expires_at,
    });
  });

  it("authorize --store saves what it signed in for; refresh --store then needs no other flag", async () => {
    const store = join(tempDir(), "authorize.json");
    const run = startAuthorize(["--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--scope", "openid offline_access", "--store", store, "-o", "json"]);
    await fetch(await completeLoginHttp((await run.url).href, { user: "alice" }));
    const done = await run.done;
    expect(done.exitCode).toBe(0);
    const printed = JSON.parse(done.stdout);
    expect(readJson(store)).toMatchObject({ access_token: printed.access_token, refresh_token: printed.refresh_token, client_id: PUBLIC.id });
    expect(modeOf(store)).toBe(0o600);
    const refreshed = await runCli(["refresh", "--store", store, "--force", "-o", "json"]);
    expect(refreshed.exitCode).toBe(0);
    expect(JSON.parse(refreshed.stdout)).toMatchObject({ from_cache: false, rotated: true });
  });

  it("client-credentials --store never writes the client secret, and reuses the token without a request", async () => {
    const store = join(tempDir(), "cc.json");
    const args = ["client-credentials", "--issuer", sandbox.issuer, "--client-id", BASIC.id, "--store", store, "-o", "json"];
    const first = await runCli(args, { env: { OAUTH_CLIENT_SECRET: BASIC.secret } });
    expect(first.exitCode).toBe(0);
    expect(JSON.parse(first.stdout).from_cache).toBe(false);
    expect(readFileSync(store, "utf8")).not.toContain(BASIC.secret);
    expect(readJson(store).access_token).toBe(JSON.parse(first.stdout).access_token);

    const http = refusingHttp();
    const second = await runCli(args, { env: { OAUTH_CLIENT_SECRET: BASIC.secret }, http });
    expect(second.exitCode).toBe(0);
    expect(http.calls()).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ from_cache: true, access_token: JSON.parse(first.stdout).access_token });

    // Another scope is not a cache hit.
    const scoped = await runCli([...args, "--scope", "api:read"], { env: { OAUTH_CLIENT_SECRET: BASIC.secret } });
    expect(scoped.exitCode).toBe(0);
    expect(JSON.parse(scoped.stdout).from_cache).toBe(false);
    expect(await introspect(sandbox, JSON.parse(scoped.stdout).access_token)).toMatchObject({ active: true, scope: "api:read" });
  });

  it("client-credentials refuses to overwrite a store holding a user's refresh token", async () => {
    const store = join(tempDir(), "user.json");
    await seedStore(sandbox, store);
    const before = readFileSync(store, "utf8");
    const run = await runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", BASIC.id, "--store", store], { env: { OAUTH_CLIENT_SECRET: BASIC.secret } });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(store);
    expect(run.stderr).toMatch(/refresh token/);
    expect(readFileSync(store, "utf8")).toBe(before);
  });

  it("warns when the store is readable by others", async () => {
    const store = join(tempDir(), "loose.json");
    await seedStore(sandbox, store);
    chmodSync(store, 0o644);
    const run = await runCli(["refresh", "--store", store, "-o", "token"], { http: refusingHttp() });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(new RegExp(`warning: the token store ${store} is readable by others \\(mode 0644\\)`));
    // Silent once it is private again: the warning is about the mode, not about stores in general.
    chmodSync(store, 0o600);
    expect((await runCli(["refresh", "--store", store, "-o", "token"], { http: refusingHttp() })).stderr).toBe("");
  });

  it("a truncated store is exit 2 naming the file; the file is left as it was and no request is made", async () => {
    const store = join(tempDir(), "broken.json");
    await seedStore(sandbox, store);
    const whole = readFileSync(store, "utf8");
    const truncated = whole.slice(0, Math.floor(whole.length / 2));
    writeFileSync(store, truncated);
    const http = refusingHttp();
    const run = await runCli(["refresh", "--store", store, "--force", "-o", "token"], { http });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`the token store ${store} is unusable`);
    expect(run.stderr).toMatch(/not valid JSON/);
    expect(run.stdout).toBe("");
    expect(http.calls()).toBe(0);
    expect(readFileSync(store, "utf8")).toBe(truncated);
    expect(existsSync(`${store}.bak`)).toBe(false);
  });

  it("a store with a missing field names the field", async () => {
    const store = join(tempDir(), "field.json");
    writeFileSync(store, JSON.stringify({ version: 1, access_token: "x", token_type: "Bearer" }), { mode: 0o600 });
    const run = await runCli(["refresh", "--store", store]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`"token_endpoint" is missing`);
  });
});

describe("refresh --store", () => {
  it("answers from the store while the token has --min-ttl left: no HTTP request at all", async () => {
    const store = join(tempDir(), "hit.json");
    const seeded = await seedStore(sandbox, store);
    const http = refusingHttp();
    const run = await runCli(["refresh", "--store", store, "--min-ttl", "60", "-o", "json"], { http });
    expect(run.exitCode).toBe(0);
    expect(http.calls()).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ access_token: seeded.access_token, from_cache: true, rotated: false });
    const token = await runCli(["refresh", "--store", store, "-o", "token"], { http });
    expect(token.stdout).toBe(`${seeded.access_token}\n`);
    const env = await runCli(["refresh", "--store", store, "-o", "env"], { http });
    expect(env.stdout).toContain(`OAUTH_ACCESS_TOKEN=${seeded.access_token}\n`);
    expect(http.calls()).toBe(0);
  });

  it("refreshes when the token has less than --min-ttl left; the rotated token is stored and the old set kept as .bak", async () => {
    const store = join(tempDir(), "miss.json");
    const seeded = await seedStore(sandbox, store);
    const before = readFileSync(store, "utf8");
    const run = await runCli(["refresh", "--store", store, "--min-ttl", "7200", "-o", "json"]);
    expect(run.exitCode).toBe(0);
    const printed = JSON.parse(run.stdout);
    expect(printed).toMatchObject({ from_cache: false, rotated: true });
    expect(printed.refresh_token).not.toBe(seeded.refresh_token);
    const saved = readJson(store);
    expect(saved.refresh_token).toBe(printed.refresh_token);
    expect(saved.access_token).toBe(printed.access_token);
    expect(modeOf(store)).toBe(0o600);
    expect(readFileSync(`${store}.bak`, "utf8")).toBe(before);
    expect(await introspect(sandbox, printed.access_token)).toMatchObject({ active: true });
    // The old refresh token is spent: only the stored one is worth anything now.
    expect(await introspect(sandbox, seeded.refresh_token as string)).toMatchObject({ active: false });
    expect(await introspect(sandbox, saved.refresh_token as string)).toMatchObject({ active: true });
  });

  it("the rotated refresh token is on disk before the first byte of output, even with -v", async () => {
    const store = join(tempDir(), "first.json");
    const seeded = await seedStore(sandbox, store);
    const ctx = createTestContext();
    // Every write (trace, notes, result) checks what the store holds at that moment.
    const seen: string[] = [];
    const watch = (write: (s: string) => void) => (chunk: string) => {
      seen.push(String(readJson(store).refresh_token));
      write(chunk);
    };
    const watched = { ...ctx, stdout: { ...ctx.stdout, write: watch(ctx.stdout.write) }, stderr: { ...ctx.stderr, write: watch(ctx.stderr.write) } };
    expect(await main(["refresh", "-v", "--store", store, "--force", "-o", "json"], watched)).toBe(0);
    const rotated = readJson(store).refresh_token;
    expect(rotated).not.toBe(seeded.refresh_token);
    expect(ctx.err()).toContain("< HTTP 200");
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set([rotated]));
  });

  it("--force refreshes a token that is still fresh", async () => {
    const store = join(tempDir(), "force.json");
    const seeded = await seedStore(sandbox, store);
    const run = await runCli(["refresh", "--store", store, "--force", "-o", "token"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).not.toBe(`${seeded.access_token}\n`);
    expect(readJson(store).access_token).toBe(run.stdout.trim());
  });

  it("the store's refresh token wins over --refresh-token, with a note", async () => {
    const store = join(tempDir(), "wins.json");
    await seedStore(sandbox, store);
    const run = await runCli(["refresh", "--store", store, "--force", "--refresh-token", "stale-one", "-o", "json"]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(/using the refresh token from the store/);
  });

  it("a missing store needs a refresh token to start from; with one it is created", async () => {
    const dir = tempDir();
    const empty = await runCli(["refresh", "--store", join(dir, "none.json")]);
    expect(empty.exitCode).toBe(2);
    expect(empty.stderr).toMatch(/--refresh-token TOKEN .*does not exist yet/);

    const seeded = await seedStore(sandbox, join(dir, "source.json"));
    const target = join(dir, "seeded.json");
    const run = await runCli(["refresh", "--store", target, "--issuer", sandbox.issuer, "--client-id", "sandbox-public", "--refresh-token", "-", "-o", "token"], {
      stdin: `${seeded.refresh_token}\n`,
    });
    expect(run.exitCode).toBe(0);
    expect(readJson(target)).toMatchObject({ access_token: run.stdout.trim(), client_id: "sandbox-public" });
    expect(existsSync(`${target}.bak`)).toBe(false);
  });

  it("--min-ttl without --store is a usage error", async () => {
    const run = await runCli(["refresh", "--min-ttl", "30", "--refresh-token", "x", "--token-endpoint", `${sandbox.issuer}/token`]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--min-ttl only works with --store PATH/);
  });
});

describe("the lock", () => {
  it("recovers a lock left by a dead process on this host, with a message", async () => {
    const store = join(tempDir(), "dead.json");
    await seedStore(sandbox, store);
    const pid = deadPid();
    writeFileSync(`${store}.lock`, JSON.stringify({ pid, hostname: hostname(), created_at: new Date().toISOString(), nonce: "x" }));
    const run = await runCli(["refresh", "--store", store, "--force", "-o", "token", "--lock-timeout", "5"]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain(`recovered a stale lock on ${store} (its holder, process ${pid} on this host, is gone)`);
    expect(existsSync(`${store}.lock`)).toBe(false);
  });

  it("recovers a lock older than the bound, even from another host", async () => {
    const store = join(tempDir(), "old.json");
    await seedStore(sandbox, store);
    const created = new Date(Date.now() - 10 * 60_000).toISOString();
    writeFileSync(`${store}.lock`, JSON.stringify({ pid: process.pid, hostname: "another-host", created_at: created, nonce: "x" }));
    const run = await runCli(["refresh", "--store", store, "--force", "-o", "token", "--lock-timeout", "5"]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(/recovered a stale lock .*\(it is 6\d\d s old, over the 120 s limit\)/);
  });

  it("a live lock makes the run wait, then fail with exit 3 naming the store and the holder; the lock stays", async () => {
    const store = join(tempDir(), "held.json");
    await seedStore(sandbox, store);
    const lock = JSON.stringify({ pid: process.pid, hostname: hostname(), created_at: new Date().toISOString(), nonce: "held" });
    writeFileSync(`${store}.lock`, lock);
    const before = readFileSync(store, "utf8");
    const run = await runCli(["refresh", "--store", store, "--force", "-o", "token", "--lock-timeout", "0.3"]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain(`waiting for the lock on the token store ${store}`);
    expect(run.stderr).toContain(`held by process ${process.pid} on ${hostname()}`);
    expect(run.stderr).toMatch(/--lock-timeout/);
    expect(run.stdout).toBe("");
    expect(readFileSync(`${store}.lock`, "utf8")).toBe(lock);
    expect(readFileSync(store, "utf8")).toBe(before);
  });

  it("a cache hit does not even need the lock", async () => {
    const store = join(tempDir(), "hit-locked.json");
    await seedStore(sandbox, store);
    writeFileSync(`${store}.lock`, JSON.stringify({ pid: process.pid, hostname: hostname(), created_at: new Date().toISOString(), nonce: "held" }));
    const run = await runCli(["refresh", "--store", store, "-o", "token", "--lock-timeout", "0"], { http: refusingHttp() });
    expect(run.exitCode).toBe(0);
  });
});
