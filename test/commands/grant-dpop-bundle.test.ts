import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { peekJwt } from "../../src/output/format.js";
import { runCli } from "../support/cli.js";
import { thumbprintOf, tracedProofs } from "../support/dpop.js";

// The sandbox as users run it: bin/oauth-cli.js, the CommonJS bundle (build.mjs, built by `npm test`).
// Its token exchange grant uses oidc-provider's own DPoP checks, an ES module outside the bundle that
// only import() reaches; a static import passed every in-process test and answered 500 here.
const BIN = fileURLToPath(new URL("../../bin/oauth-cli.js", import.meta.url));
const AT_TYPE = "urn:ietf:params:oauth:token-type:access_token";
const DPOP = { id: "sandbox-dpop", secret: "sandbox-dpop-secret" } as const;

let child: ChildProcess;
let issuer: string;
let sandboxLog = "";
beforeAll(async () => {
  expect(existsSync(fileURLToPath(new URL("../../dist/bundle/oauth-cli.cjs", import.meta.url))), "the bundle is missing: run npm run build").toBe(true);
  child = spawn(process.execPath, [BIN, "sandbox", "--json", "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  child.stderr!.on("data", (d: Buffer) => (sandboxLog += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) resolve(out.slice(0, out.indexOf("\n")));
    });
    child.once("exit", (code) => reject(new Error(`the sandbox exited ${code} before its JSON line: ${sandboxLog}`)));
  });
  issuer = (JSON.parse(line) as { issuer: string }).issuer;
});
afterAll(async () => {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
});

const env = { OAUTH_CLIENT_SECRET: DPOP.secret };
const exchangeArgs = ["grant", "--grant-type", "token-exchange", "--param", "subject_token=-", "--param", `subject_token_type=${AT_TYPE}`, "--resource", "https://api.sandbox.test"];

describe("the bundled sandbox's token exchange with DPoP", () => {
  it("grant --dpop gets a token bound to the proof's key after the nonce retry; without a proof, a refusal, never a 500", async () => {
    const subject = await runCli(["client-credentials", "--issuer", issuer, "--client-id", DPOP.id, "--scope", "api:read", "--dpop", "-o", "token"], { env });
    expect(subject.exitCode, subject.stderr).toBe(0);

    const bound = await runCli([...exchangeArgs, "--issuer", issuer, "--client-id", DPOP.id, "--dpop", "-v", "-o", "json"], { env, stdin: subject.stdout.trim() });
    expect(bound.exitCode, `${bound.stderr}\n${sandboxLog}`).toBe(0);
    const tokens = JSON.parse(bound.stdout);
    expect(tokens.token_type).toBe("DPoP");
    const proofs = tracedProofs(bound.stderr);
    expect(proofs).toHaveLength(2);
    expect(peekJwt(tokens.access_token)).toMatchObject({ cnf: { jkt: await thumbprintOf(proofs[1]!.header.jwk as Record<string, unknown>) } });

    const refused = await runCli([...exchangeArgs, "--issuer", issuer, "--client-id", DPOP.id], { env, stdin: subject.stdout.trim() });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/invalid_grant: .*DPoP proof JWT not provided/);
    expect(sandboxLog).not.toMatch(/server_error/);
  });
});
