import { randomBytes } from "node:crypto";
import type { Context, Prompter } from "../../src/context.js";
import { createHttpClient } from "../../src/http/send.js";
import type { HttpClient } from "../../src/http/types.js";
import { main } from "../../src/main.js";
import { testHome } from "./temp.js";

export interface TestContextOptions {
  /** Text on standard input (for `-`). */
  stdin?: string;
  stdoutTTY?: boolean;
  stderrTTY?: boolean;
  stdinTTY?: boolean;
  env?: Record<string, string | undefined>;
  now?: () => number;
  http?: HttpClient;
  openBrowser?: (url: string) => Promise<void>;
  prompter?: Prompter;
  signal?: AbortSignal;
  cwd?: string;
  homedir?: string;
}

export interface TestContext extends Context {
  readonly out: () => string;
  readonly err: () => string;
}

/** A Context backed by buffers, for running commands in-process. HTTP is real unless given. */
export function createTestContext(options: TestContextOptions = {}): TestContext {
  let out = "";
  let err = "";
  const env = { NO_COLOR: "1", ...options.env };
  const now = options.now ?? (() => Date.now());
  return {
    stdout: { write: (s) => void (out += s), isTTY: options.stdoutTTY ?? false },
    stderr: { write: (s) => void (err += s), isTTY: options.stderrTTY ?? false },
    stdin: { isTTY: options.stdinTTY ?? false, readAll: async () => options.stdin ?? "" },
    env,
    http: options.http ?? createHttpClient(env, now),
    now,
    randomBytes: (n) => randomBytes(n),
    openBrowser: options.openBrowser ?? (async () => Promise.reject(new Error("no browser in tests"))),
    prompter: async () => options.prompter,
    signal: options.signal ?? new AbortController().signal,
    cwd: options.cwd ?? process.cwd(),
    // Never the user's home: the CLI keeps config and used-grants.json under it.
    homedir: options.homedir ?? testHome(),
    out: () => out,
    err: () => err,
  };
}

export interface CliRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ctx: TestContext;
}

/** Runs `oauth-cli ARGV` in-process and collects what it printed. */
export async function runCli(argv: readonly string[], options: TestContextOptions = {}): Promise<CliRun> {
  const ctx = createTestContext(options);
  const exitCode = await main(argv, ctx);
  return { exitCode, stdout: ctx.out(), stderr: ctx.err(), ctx };
}
