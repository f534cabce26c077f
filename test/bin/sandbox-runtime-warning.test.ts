import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../../bin/oauth-cli.js", import.meta.url));

/** Runs the built `oauth-cli sandbox --port 0 ARGS` until its first stdout line, then SIGTERM; all of stderr. */
function sandboxStderr(args: string[] = []): Promise<{ stdout: string; stderr: string; exitCode: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "sandbox", "--port", "0", "--json", ...args], { env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
      if (stdout.includes("\n")) child.kill("SIGTERM");
    });
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (exitCode) => resolve({ stdout, stderr, exitCode }));
  });
}

describe("the sandbox on this Node (the README's range: 20.18 and later)", () => {
  it("does not print oidc-provider's 'Unsupported runtime' warning, and still logs its other warnings", async () => {
    // What oidc-provider prints on its own when imported here: on Node 20 the warning (so this test
    // would fail if the sandbox let it through), on Node 22+ nothing.
    const direct = spawnSync(process.execPath, ["--input-type=module", "-e", 'await import("oidc-provider")'], { encoding: "utf8" });
    const nodeWarns = Number(process.versions.node.split(".")[0]) < 22;
    expect(direct.stderr.includes("Unsupported runtime"), direct.stderr).toBe(nodeWarns);

    const run = await sandboxStderr();
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.split("\n")[0]!)).toHaveProperty("issuer");
    expect(run.stderr).not.toContain("Unsupported runtime");
    // Only that one line is dropped: oidc-provider's other start-up warnings still reach the log.
    expect(run.stderr).toMatch(/sandbox: oidc-provider WARNING: .*devInteractions is enabled/);
  });
});
