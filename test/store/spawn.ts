import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { testHome } from "../support/temp.js";

/** The built binary: these tests need real processes (a lock between threads of one process proves nothing). */
export const BIN = fileURLToPath(new URL("../../bin/oauth-cli.js", import.meta.url));

export function assertBuilt(): void {
  if (!existsSync(fileURLToPath(new URL("../../dist/store/lock.js", import.meta.url)))) {
    throw new Error("dist/ is missing the store: run `npm run build` first (npm test does)");
  }
}

/** The parent's environment without any OAUTH_* variable that could change what the CLI does. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("OAUTH_")) env[k] = v;
  // Home, config and state folders of the test file's own, so these runs neither read nor write the user's.
  const home = testHome();
  return { ...env, NO_COLOR: "1", HOME: home, XDG_CONFIG_HOME: join(home, "config"), XDG_STATE_HOME: join(home, "state") };
}

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Running {
  readonly child: ChildProcess;
  readonly done: Promise<Finished>;
}

export interface SpawnOptions {
  /** Run as this user (root only): how these tests play "another local user" or "a file you cannot read". */
  readonly uid?: number;
  readonly gid?: number;
  readonly env?: Record<string, string>;
}

export function startCli(args: readonly string[], options: SpawnOptions = {}): Running {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...cleanEnv(), ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid ?? options.uid }),
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const done = new Promise<Finished>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export function runCliProcess(args: readonly string[], options: SpawnOptions = {}): Promise<Finished> {
  return startCli(args, options).done;
}

/**
 * Runs the CLI, killing it if it has not ended after `hangMs`. The bugs these tests reproduce
 * hang (a busy wait, a blocking open, an endless read): without this guard such a failure would
 * stall the suite instead of failing it. A generous bound, not a speed assertion.
 */
export async function runCliGuarded(args: readonly string[], options: SpawnOptions & { hangMs?: number } = {}): Promise<Finished & { killed: boolean }> {
  const running = startCli(args, options);
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    running.child.kill("SIGKILL");
  }, options.hangMs ?? 20_000);
  try {
    return { ...(await running.done), killed };
  } finally {
    clearTimeout(timer);
  }
}
