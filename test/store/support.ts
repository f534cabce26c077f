import { chmodSync, readdirSync } from "node:fs";
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
  try {
    return JSON.parse(run.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`exchange --store printed no JSON on stdout: ${JSON.stringify(run.stdout.slice(0, 500))}\nstderr: ${run.stderr}`);
  }
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

export interface CapturedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/**
 * Another user's token endpoint, planted in a store: it records what it is sent and answers with
 * a token. A fake server on purpose: it stands for the attacker, and the one thing a test needs
 * from it is the list of requests that reached it (which must stay empty).
 */
export async function startCapture(): Promise<{ url: string; requests: CapturedRequest[]; close: () => Promise<void> }> {
  const { createServer } = await import("node:http");
  const requests: CapturedRequest[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ access_token: "captured-access", token_type: "Bearer", expires_in: 3600, refresh_token: "captured-refresh" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/token`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** uid/gid of `nobody`: "another local user" in these tests (they run as root, which may chown). */
export const NOBODY = 65534;
/** Tests that chown or run as `nobody` need root; elsewhere they are skipped, not faked. */
export const AS_ROOT = process.geteuid?.() === 0;

/** A folder like /tmp: world-writable with the sticky bit, owned by root. */
export function sharedDir(): string {
  const dir = tempDir("shared");
  chmodSync(dir, 0o1777);
  return dir;
}

/** The names of temp files left in a folder (every writer must remove its own). */
export function tempFilesIn(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith(".tmp"));
}
