import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rescueOf, rescuePath } from "../../src/commands/shared/save-tokens.js";
import { main } from "../../src/main.js";
import { createTestContext } from "../support/cli.js";
import { PUBLIC, startTestProvider, type Sandbox } from "../support/provider.js";
import { seedStore, tempDir } from "../store/support.js";

/**
 * refresh -o token prints the access token alone, so a rotated refresh token goes to a file of its
 * own; like a store, it is on disk before the first byte of output, the -v trace included.
 */
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestProvider();
});
afterAll(async () => sandbox?.close());

describe("refresh -o token without a store", () => {
  it("the rotated refresh token is in its file before anything is written, even with -v", async () => {
    const seeded = await seedStore(sandbox, join(tempDir(), "source.json"));
    const state = tempDir("oauth-cli-state-");
    // The refresh token comes from the environment: on argv it would earn a warning, written before the file.
    const ctx = createTestContext({ env: { XDG_STATE_HOME: state, OAUTH_REFRESH_TOKEN: String(seeded.refresh_token) } });
    const tokenEndpoint = `${sandbox.issuer}/token`;
    // The file of this grant: named after the endpoint, the client and the refresh token spent.
    const spent = { endpoints: { tokenEndpoint }, grant: { grant_type: "refresh_token", refresh_token: String(seeded.refresh_token) } };
    const file = rescuePath(rescueOf(ctx, spent), { tokenEndpoint, clientId: PUBLIC.id });
    const seen: string[] = [];
    const watch = (write: (s: string) => void) => (chunk: string) => {
      seen.push(existsSync(file) ? String((JSON.parse(readFileSync(file, "utf8")) as { refresh_token?: string }).refresh_token) : "(no file)");
      write(chunk);
    };
    const watched = { ...ctx, stdout: { ...ctx.stdout, write: watch(ctx.stdout.write) }, stderr: { ...ctx.stderr, write: watch(ctx.stderr.write) } };
    const argv = ["refresh", "-v", "--token-endpoint", tokenEndpoint, "--client-id", PUBLIC.id, "-o", "token"];
    expect(await main(argv, watched), ctx.err()).toBe(0);
    const rotated = (JSON.parse(readFileSync(file, "utf8")) as { refresh_token: string }).refresh_token;
    expect(rotated).not.toBe(seeded.refresh_token);
    expect(ctx.err()).toContain("< HTTP 200");
    expect(ctx.err()).toContain(`saved in ${file} (mode 0600)`);
    expect(seen.length).toBeGreaterThan(1);
    expect(new Set(seen)).toEqual(new Set([rotated]));
  });
});
