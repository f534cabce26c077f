import { createServer } from "node:net";
import type { Context } from "../../src/context.js";
import { main } from "../../src/main.js";
import { createTestContext, type TestContext } from "./cli.js";
import { movableClock } from "./clock.js";

export interface RunningSandbox {
  readonly issuer: string;
  readonly port: number;
  readonly info: Record<string, unknown>;
  readonly ctx: TestContext;
  /** Moves the sandbox's clock forward (its context's now()): codes and tokens expire without a wait. */
  advanceClock(seconds: number): void;
  /** Aborts the command (as Ctrl-C does) and returns its exit code. */
  stop(): Promise<number>;
}

/** Runs `oauth-cli sandbox --json ARGS` in-process until stop(); resolves once its JSON line is out. */
export async function startSandboxCommand(args: readonly string[]): Promise<RunningSandbox> {
  const interrupt = new AbortController();
  const clock = movableClock();
  const ctx = createTestContext({ signal: interrupt.signal, now: clock.now });
  const exit = main(["sandbox", "--json", ...args], ctx);
  const line = await Promise.race([waitForLine(ctx), exit.then((code) => Promise.reject(new Error(`sandbox exited ${code}: ${ctx.err()}`)))]);
  const info = JSON.parse(line) as Record<string, unknown>;
  return {
    issuer: String(info.issuer),
    port: Number(info.port),
    info,
    ctx,
    advanceClock: clock.advance,
    stop: async () => {
      interrupt.abort();
      return exit;
    },
  };
}

async function waitForLine(ctx: Context & { out(): string }): Promise<string> {
  for (;;) {
    const out = ctx.out();
    if (out.includes("\n")) return out.slice(0, out.indexOf("\n"));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** True when nothing listens on 127.0.0.1:port any more. */
export function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

/** Runs body against a sandbox command started with args (signed-in user alice, any port), then stops it. */
export async function withSandboxCommand(args: string[], body: (sandbox: RunningSandbox) => Promise<void>): Promise<void> {
  const sandbox = await startSandboxCommand(["--port", "0", "-q", "--auto-login", "alice", ...args]);
  try {
    await body(sandbox);
  } finally {
    await sandbox.stop();
  }
}
