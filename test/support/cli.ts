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
  /** The terminal's width, for a TTY stream. */
  stdoutColumns?: number;
  stderrColumns?: number;
  stdinTTY?: boolean;
  env?: Record<string, string | undefined>;
  now?: () => number;
  /** Replaces the real wait of polling commands (device): record the waits, return sooner. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  http?: HttpClient;
  openBrowser?: (url: string) => Promise<void>;
  prompter?: Prompter;
  signal?: AbortSignal;
  cwd?: string;
  homedir?: string;
}

export interface TestContext extends Context {
  readonly out: () => string;
  /** stdout as bytes: text and binary writes, in order. */
  readonly outBytes: () => Buffer;
  readonly err: () => string;
}

/** A Context backed by buffers, for running commands in-process. HTTP is real unless given. */
export function createTestContext(options: TestContextOptions = {}): TestContext {
  let out = "";
  let err = "";
  const bytes: Buffer[] = [];
  const env = { NO_COLOR: "1", ...options.env };
  const now = options.now ?? (() => Date.now());
  return {
    stdout: {
      write: (s) => {
        out += s;
        bytes.push(Buffer.from(s, "utf8"));
      },
      isTTY: options.stdoutTTY ?? false,
      ...(options.stdoutColumns !== undefined && { columns: options.stdoutColumns }),
      writeBytes: async (chunk) => {
        out += Buffer.from(chunk).toString("utf8");
        bytes.push(Buffer.from(chunk));
      },
    },
    stderr: { write: (s) => void (err += s), isTTY: options.stderrTTY ?? false, ...(options.stderrColumns !== undefined && { columns: options.stderrColumns }) },
    stdin: { isTTY: options.stdinTTY ?? false, readAll: async () => options.stdin ?? "" },
    env,
    http: options.http ?? createHttpClient(env, now),
    now,
    ...(options.sleep && { sleep: options.sleep }),
    randomBytes: (n) => randomBytes(n),
    openBrowser: options.openBrowser ?? (async () => Promise.reject(new Error("no browser in tests"))),
    prompter: async () => options.prompter,
    signal: options.signal ?? new AbortController().signal,
    cwd: options.cwd ?? process.cwd(),
    // Never the user's home: the CLI keeps config and used-grants.json under it.
    homedir: options.homedir ?? testHome(),
    out: () => out,
    outBytes: () => Buffer.concat(bytes),
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
