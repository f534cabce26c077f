import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandboxCommand, type RunningSandbox } from "../support/sandbox-command.js";

/**
 * `--client-secret -` on a real terminal: the built binary runs under util-linux `script`, which
 * gives it a pseudo-terminal (stdin, stdout and stderr are TTYs) and copies everything the terminal
 * shows into its output. What we "type" goes in through script's stdin, as keystrokes would.
 */
const BIN = fileURLToPath(new URL("../../bin/oauth-cli.js", import.meta.url));
const SECRET = "sandbox-basic-secret";

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandboxCommand(["--port", "0", "-q"]);
});
afterAll(async () => {
  await sandbox.stop();
});

function onTerminal(args: string[], typed: (screen: string) => string | undefined): Promise<{ screen: string; exitCode: number | null }> {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  return new Promise((resolve, reject) => {
    // -e: script exits with the command's status; -q: no "Script started" lines; /dev/null: no typescript file.
    const child = spawn("script", ["-q", "-e", "-c", command, "/dev/null"], { env: { PATH: process.env.PATH ?? "", TERM: "xterm", NO_COLOR: "1", HOME: process.env.HOME ?? "/tmp" } });
    let screen = "";
    let sent = false;
    child.stdout.on("data", (c: Buffer) => {
      screen += c.toString();
      const keys = sent ? undefined : typed(screen);
      if (keys !== undefined) {
        sent = true;
        child.stdin.write(keys);
      }
    });
    child.on("error", reject);
    child.on("close", (exitCode) => resolve({ screen, exitCode }));
  });
}

describe("a secret read from a terminal", () => {
  it("--client-secret - asks with echo off; Enter (not Ctrl-D) ends it, and the token comes back", async () => {
    const run = await onTerminal(
      ["client-credentials", "--issuer", sandbox.issuer, "--client-id", "sandbox-basic", "--client-secret", "-", "--scope", "api:read", "-o", "json"],
      (screen) => (screen.includes("--client-secret (not shown as you type; Enter ends it)") ? `${SECRET}\r` : undefined),
    );
    expect(run.exitCode, run.screen).toBe(0);
    // The typed secret never appeared on the terminal: no echo, no mask of its length either.
    expect(run.screen).not.toContain(SECRET);
    expect(run.screen).not.toContain("Ctrl-D");
    expect(run.screen).toContain('"access_token"');
  });
});
