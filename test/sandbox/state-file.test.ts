import { lstatSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startTestProvider } from "../support/provider.js";
import { makeTempDir } from "../support/temp.js";

describe("sandbox --state-file", () => {
  it("a symlink planted at the old predictable temp name (PATH.<pid>.tmp) is not followed: its target keeps its content", async () => {
    const dir = makeTempDir("sandbox-state");
    const stateFile = join(dir, "state.json");
    const victim = join(dir, "victim.txt");
    writeFileSync(victim, "the victim's file\n");
    // Where the sandbox used to write its state (private signing key included) before renaming it.
    symlinkSync(victim, `${stateFile}.${process.pid}.tmp`);

    const sandbox = await startTestProvider({ stateFile });
    await sandbox.close();

    expect(readFileSync(victim, "utf8")).toBe("the victim's file\n");
    const state = lstatSync(stateFile);
    expect(state.isFile()).toBe(true);
    expect(state.mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(stateFile, "utf8")).jwks.keys.length).toBeGreaterThan(0);
    // Only the planted link is left: the sandbox's own temp files are gone.
    expect(readdirSync(dir).filter((n) => n.endsWith(".tmp"))).toEqual([`state.json.${process.pid}.tmp`]);
  });
});
