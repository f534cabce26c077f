import type { HttpClient } from "../../src/http/types.js";
import { runCli } from "../support/cli.js";
import { completeLoginHttp } from "../support/login.js";
import { authorizationUrl, pkcePair, PUBLIC, type Sandbox } from "../support/provider.js";
import { makeTempDir } from "../support/temp.js";

export const REDIRECT = "http://127.0.0.1:8123/callback";

/** A temp folder removed when the calling test file ends (test/support/temp.ts). */
export function tempDir(label = "store"): string {
  return makeTempDir(label);
}

/** A real grant for the public client: login + consent over HTTP, then `exchange --store` fills the store. */
export async function seedStore(sandbox: Sandbox, storePath: string): Promise<Record<string, unknown>> {
  const { verifier, challenge } = pkcePair();
  const final = new URL(await completeLoginHttp(authorizationUrl(sandbox, { redirectUri: REDIRECT, challenge, scope: "openid offline_access" })));
  const code = final.searchParams.get("code");
  if (!code) throw new Error(`no code in ${final.href}`);
  const run = await runCli([
    "exchange", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--code", code, "--redirect-uri", REDIRECT, "--code-verifier", verifier, "--store", storePath,
  ]);
  if (run.exitCode !== 0) throw new Error(`exchange --store failed (${run.exitCode}): ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

/** An HttpClient that refuses every request and counts the attempts: proof a run made none. */
export function refusingHttp(): HttpClient & { calls: () => number } {
  let calls = 0;
  return {
    calls: () => calls,
    async send(request) {
      calls++;
      throw new Error(`unexpected HTTP request: ${request.method} ${request.url}`);
    },
  };
}
