import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Django OAuth Toolkit (Debian's python3-django-oauth-toolkit, on Debian's own python3): a second
 * authorization server, independent of oidc-provider, with its own error strings, statuses and
 * redirect habits (Django's APPEND_SLASH). See server.py for the project and its test-only glue.
 */
export const DEBIAN_PYTHON = "/usr/bin/python3";

export interface DotClient {
  readonly client_id: string;
  readonly client_secret: string | null;
}

export interface DotServer {
  /** http://127.0.0.1:PORT/o — DOT's issuer; its discovery document is at …/.well-known/openid-configuration/ */
  readonly issuer: string;
  readonly origin: string;
  readonly port: number;
  readonly tokenEndpoint: string;
  readonly authorizationEndpoint: string;
  /** dot-public (PKCE, no secret), dot-confidential (code grant, secret), dot-service (client_credentials only). */
  readonly clients: Record<"public" | "confidential" | "service", DotClient>;
  /** Every code issued so far is expired from now on (DOT's own check refuses it). */
  ageCodes(): Promise<void>;
  close(): Promise<void>;
}

/** Whether the Debian package is there: `.ci/run` installs it; a bare machine says how, never skips silently. */
export function dotAvailable(): boolean {
  return existsSync(DEBIAN_PYTHON) && existsSync("/usr/lib/python3/dist-packages/oauth2_provider/__init__.py");
}

/** Starts the server on a free 127.0.0.1 port with a fresh database; resolves once it listens. */
export async function startDotServer(): Promise<DotServer> {
  if (!dotAvailable()) throw new Error("Django OAuth Toolkit not found: apt-get install -y python3-django-oauth-toolkit (.ci/run does this)");
  const dir = mkdtempSync(join(tmpdir(), "oauth-cli-dot-"));
  const script = join(dirname(fileURLToPath(import.meta.url)), "server.py");
  // stdin stays open while the server should run; closing it (or our death) stops it.
  const child: ChildProcess = spawn(DEBIAN_PYTHON, [script, join(dir, "db.sqlite3")], { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" } });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const end = out.indexOf("\n");
      if (end !== -1) resolve(out.slice(0, end));
    });
    void exited.then((code) => reject(new Error(`the Django OAuth Toolkit server exited (${code}) before listening:\n${stderr}`)));
  });
  const info = JSON.parse(line) as { port: number; issuer: string; clients: DotClient[] };
  const origin = `http://127.0.0.1:${info.port}`;
  const byId = (id: string) => info.clients.find((c) => c.client_id === id)!;
  return {
    issuer: info.issuer,
    origin,
    port: info.port,
    tokenEndpoint: `${origin}/o/token/`,
    authorizationEndpoint: `${origin}/o/authorize/`,
    clients: { public: byId("dot-public"), confidential: byId("dot-confidential"), service: byId("dot-service") },
    ageCodes: async () => {
      const res = await fetch(`${origin}/test/age-codes`, { method: "POST" });
      if (!res.ok) throw new Error(`age-codes answered ${res.status}`);
    },
    close: async () => {
      child.stdin!.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
