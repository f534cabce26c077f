import { chmodSync, chownSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { BASIC, startTestProvider, type Sandbox } from "../support/provider.js";
import { AS_ROOT, NOBODY, refusingHttp, seedStore, startCapture, tempDir } from "./support.js";

/*
 * A token store someone else controls. The attack: another local user plants a store (say in a
 * shared temp folder) whose token_endpoint is theirs. `refresh --store` then sent the victim's
 * client secret there, and a fresh planted access token was printed as the victim's own.
 */
let sandbox: Sandbox;
let capture: Awaited<ReturnType<typeof startCapture>>;
beforeAll(async () => {
  sandbox = await startTestProvider();
  capture = await startCapture();
});
afterAll(async () => {
  await capture?.close();
  await sandbox?.close();
});

function plantStore(path: string, accessExpiresInMs: number): void {
  const planted = {
    version: 1,
    access_token: "planted-access-token",
    token_type: "Bearer",
    expires_at: new Date(Date.now() + accessExpiresInMs).toISOString(),
    refresh_token: "planted-refresh-token",
    token_endpoint: capture.url,
    client_id: BASIC.id,
    auth_method: "client_secret_basic",
    saved_at: new Date().toISOString(),
  };
  writeFileSync(path, JSON.stringify(planted), { mode: 0o600 });
}

const secretEnv = { env: { OAUTH_CLIENT_SECRET: BASIC.secret } };

describe("a token store another user owns", () => {
  it.runIf(AS_ROOT)("is refused (exit 2, named): its token is not printed, nothing is sent to its endpoint", async () => {
    const store = join(tempDir(), "planted.json");
    plantStore(store, 3600_000);
    chownSync(store, NOBODY, NOBODY);

    const cached = await runCli(["refresh", "--store", store, "-o", "token"], secretEnv);
    expect(cached.exitCode).toBe(2);
    expect(cached.stdout).toBe("");
    expect(cached.stderr).toContain(`the token store ${store} is owned by another user (uid ${NOBODY}`);
    expect(cached.stderr).not.toContain("planted-access-token");

    const forced = await runCli(["refresh", "--store", store, "--force", "-o", "token"], secretEnv);
    expect(forced.exitCode).toBe(2);
    expect(capture.requests).toEqual([]);

    // The very same file, owned by the user, is used: the refusal is about the owner, nothing else.
    chownSync(store, process.geteuid!(), process.getegid!());
    const own = await runCli(["refresh", "--store", store, "-o", "token"], { ...secretEnv, http: refusingHttp() });
    expect(own.exitCode, own.stderr).toBe(0);
    expect(own.stdout).toBe("planted-access-token\n");
  });

  it("a store group or others can write is refused too, with the chmod that fixes it", async () => {
    const store = join(tempDir(), "loose.json");
    plantStore(store, 3600_000);
    chmodSync(store, 0o666);
    const run = await runCli(["refresh", "--store", store, "--force"], { ...secretEnv, http: refusingHttp() });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`the token store ${store} is writable by its group and others (mode 0666)`);
    expect(run.stderr).toContain(`chmod 600 ${store}`);
    expect(capture.requests).toEqual([]);
  });
});

describe("a store's grant is never served for, or sent to, another endpoint or client", () => {
  it("refresh --store: a fresh cached token of another client or endpoint is not printed; nothing is sent", async () => {
    const store = join(tempDir(), "mine.json");
    const seeded = await seedStore(sandbox, store);
    const before = readFileSync(store, "utf8");
    const http = refusingHttp();

    const otherClient = await runCli(["refresh", "--store", store, "--client-id", "someone-else", "-o", "token"], { http });
    expect(otherClient.exitCode).toBe(2);
    expect(otherClient.stdout).toBe("");
    expect(otherClient.stderr).toContain(`the token store ${store} holds tokens of another grant (client sandbox-public, not someone-else)`);

    // The flag's endpoint wins over the store's, and the store's refresh token does not go there.
    const otherEndpoint = await runCli(["refresh", "--store", store, "--force", "--token-endpoint", capture.url, "-o", "token"], { http });
    expect(otherEndpoint.exitCode).toBe(2);
    expect(otherEndpoint.stderr).toContain(`token endpoint ${sandbox.issuer}/token, not ${capture.url}`);
    expect(capture.requests).toEqual([]);

    const otherIssuer = await runCli(["refresh", "--store", store, "--issuer", "https://issuer.example", "-o", "token"], { http });
    expect(otherIssuer.exitCode).toBe(2);
    expect(otherIssuer.stderr).toContain(`issuer ${sandbox.issuer}, not https://issuer.example`);
    expect(http.calls()).toBe(0);
    expect(readFileSync(store, "utf8")).toBe(before);

    // Naming the grant the store holds is a cache hit as before.
    const same = await runCli(["refresh", "--store", store, "--issuer", `${sandbox.issuer}/`, "--client-id", "sandbox-public", "-o", "json"], { http });
    expect(same.exitCode, same.stderr).toBe(0);
    expect(JSON.parse(same.stdout)).toMatchObject({ from_cache: true, access_token: seeded.access_token });
  });

  it("client-credentials --store: a cached token from another endpoint is no answer; the flag's endpoint is asked", async () => {
    const store = join(tempDir(), "cc.json");
    const first = await runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", BASIC.id, "--store", store, "-o", "json"], secretEnv);
    expect(first.exitCode, first.stderr).toBe(0);
    const sent = capture.requests.length;
    const elsewhere = await runCli(["client-credentials", "--token-endpoint", capture.url, "--client-id", BASIC.id, "--store", store, "-o", "json"], secretEnv);
    expect(elsewhere.exitCode, elsewhere.stderr).toBe(0);
    expect(JSON.parse(elsewhere.stdout)).toMatchObject({ from_cache: false, access_token: "captured-access" });
    expect(capture.requests.length).toBe(sent + 1);
    capture.requests.length = sent; // the other tests assert this endpoint stays unasked
  });
});
