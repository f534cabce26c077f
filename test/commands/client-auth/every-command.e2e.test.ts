import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../../src/main.js";
import { startAuthorize } from "../../support/authorize.js";
import { createTestContext, runCli } from "../../support/cli.js";
import { approveDeviceHttp, completeLoginHttp } from "../../support/login.js";
import { authorizationUrl, introspect, pkcePair, startTestProvider, type Sandbox } from "../../support/provider.js";
import { makeTempDir } from "../../support/temp.js";

// private_key_jwt through every grant command, against the real oidc-provider (sandbox-jwt). The
// user's sign-in and device approval are driven over HTTP: what is tested is the client's assertion.
const dir = makeTempDir("every");
const pair = generateKeyPairSync("ec", { namedCurve: "P-256" });
const keyFile = join(dir, "client.jwk");
writeFileSync(keyFile, JSON.stringify({ ...pair.privateKey.export({ format: "jwk" }), kid: "k1" }));
const CLIENT = ["--client-id", "sandbox-jwt", "--private-key", keyFile];

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestProvider({ clientJwks: { keys: [{ ...pair.publicKey.export({ format: "jwk" }), kid: "k1" }] } });
});
afterAll(async () => {
  await sandbox?.close();
});

const assertionClaims = (stderr: string) => [...stderr.matchAll(/\* client_assertion claims (\{.*\})/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);

describe("private_key_jwt with every grant command", () => {
  it("authorize, then refresh with its refresh token: each token request carries a fresh assertion", async () => {
    const run = startAuthorize(["--issuer", sandbox.issuer, ...CLIENT, "--scope", "openid offline_access", "-o", "json", "-v"]);
    const final = await completeLoginHttp((await run.url).href, { user: "erin" });
    await fetch(final);
    const done = await run.done;
    expect(done.exitCode, done.stderr).toBe(0);
    const tokens = JSON.parse(done.stdout) as Record<string, string>;
    expect(await introspect(sandbox, tokens.access_token!)).toMatchObject({ active: true, sub: "erin", client_id: "sandbox-jwt" });
    const first = assertionClaims(done.stderr);
    expect(first).toHaveLength(1);

    const refreshed = await runCli(["refresh", "--issuer", sandbox.issuer, ...CLIENT, "-o", "json", "-v"], { env: { OAUTH_REFRESH_TOKEN: tokens.refresh_token! } });
    expect(refreshed.exitCode, refreshed.stderr).toBe(0);
    expect(await introspect(sandbox, JSON.parse(refreshed.stdout).access_token)).toMatchObject({ active: true, sub: "erin" });
    const second = assertionClaims(refreshed.stderr);
    expect(second[0]?.jti).not.toBe(first[0]?.jti);
  });

  it("exchange redeems a code as the key-authenticated client", async () => {
    const { verifier, challenge } = pkcePair();
    const redirect = "http://127.0.0.1:8123/callback";
    const final = new URL(await completeLoginHttp(authorizationUrl(sandbox, { clientId: "sandbox-jwt", redirectUri: redirect, challenge, scope: "openid" })));
    const code = final.searchParams.get("code")!;
    const run = await runCli(["exchange", "--issuer", sandbox.issuer, ...CLIENT, "--code", code, "--redirect-uri", redirect, "--code-verifier", verifier, "-o", "json"]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(await introspect(sandbox, JSON.parse(run.stdout).access_token)).toMatchObject({ active: true, client_id: "sandbox-jwt" });
  });

  it("device: the device authorization request and every poll authenticate with an assertion", async () => {
    const ctx = createTestContext({ sleep: () => new Promise((resolve) => setTimeout(resolve, 100)), env: { XDG_STATE_HOME: makeTempDir("every-state") } });
    const done = main(["device", "--issuer", sandbox.issuer, ...CLIENT, "--scope", "openid", "-o", "json", "-v"], ctx);
    let shown: RegExpExecArray | null = null;
    while (!(shown = /and enter the code:\n\n {4}(\S+)\n/.exec(ctx.err()))) {
      if (/\berror:/.test(ctx.err())) throw new Error(ctx.err());
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await approveDeviceHttp(`${sandbox.issuer}/device`, shown[1]!, { user: "fay" });
    expect(await done, ctx.err()).toBe(0);
    expect(await introspect(sandbox, JSON.parse(ctx.out()).access_token)).toMatchObject({ active: true, sub: "fay", client_id: "sandbox-jwt" });
    // The device authorization request and the token polls each carry an assertion, redacted in the trace.
    const bodies = ctx.err().split("\n").filter((line) => /^> .*client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=\[redacted \d+ chars\]/.test(line));
    expect(bodies.some((line) => !line.includes("grant_type="))).toBe(true);
    expect(bodies.some((line) => line.includes("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code"))).toBe(true);
  });
});
