import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asksForJson } from "../../src/main.js";
import { runCli } from "../support/cli.js";
import { BASIC, startTestProvider, type Sandbox } from "../support/provider.js";

// With -o json an OAuth error is also one JSON line on stderr, in decode-error --json's shape,
// for CI to parse; stdout stays empty. The error comes from a real oidc-provider.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestProvider();
});
afterAll(async () => sandbox?.close());

// Not the registered secret; long like a real one (the output guard redacts it wherever it appears).
const WRONG_SECRET = "not-the-registered-secret-4f9a";
const wrongSecret = (output: string[]) =>
  runCli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", BASIC.id, ...output], { env: { OAUTH_CLIENT_SECRET: WRONG_SECRET } });

function lastLine(stderr: string): string {
  return stderr.trimEnd().split("\n").at(-1)!;
}

describe("OAuth errors as JSON on stderr", () => {
  it.each([[["-o", "json"]], [["--json"]], [["--output=json"]], [["-ojson"]]])("%j: the last stderr line is the explained error; stdout is empty", async (flags) => {
    const run = await wrongSecret(flags);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe("");
    const json = JSON.parse(lastLine(run.stderr)) as Record<string, unknown> & { causes: { id: string; evidence: string[] }[] };
    expect(json).toMatchObject({ error: "invalid_client", error_description: "client authentication failed (invalid secret provided)", exitCode: 1, format: "rfc6749" });
    expect(json.http).toMatchObject({ status: 401 });
    // Ranked with what the run saw, like the text above it.
    expect(json.causes[0]!.id).toBe("wrong-secret");
    expect(json.causes[0]!.evidence.join("\n")).toContain('the server said "client authentication failed (invalid secret provided)"');
    // decode-error --json's keys, all there.
    const decoded = await runCli(["decode-error", "--json", '{"error":"invalid_client","error_description":"client authentication failed (invalid secret provided)"}']);
    for (const key of Object.keys(JSON.parse(decoded.stdout) as object)) expect(Object.keys(json)).toContain(key);
    // The secret never reaches the JSON.
    expect(run.stderr).not.toContain(WRONG_SECRET);
  });

  it("without -o json there is no JSON line", async () => {
    const run = await wrongSecret(["-o", "env"]);
    expect(run.exitCode).toBe(1);
    expect(() => JSON.parse(lastLine(run.stderr))).toThrow();
  });

  it("a usage error stays a message with exit 2, never a JSON line or a stack", async () => {
    const run = await runCli(["client-credentials", "--issuer", sandbox.issuer, "--json"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--client-id/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("asksForJson", () => {
  it.each([
    [["refresh", "-o", "json"], true],
    [["refresh", "--output", "json"], true],
    [["refresh", "--json"], true],
    [["refresh", "-o", "env"], false],
    [["refresh", "--", "--json"], false],
    [["refresh"], false],
  ])("%j → %s", (argv, expected) => expect(asksForJson(argv)).toBe(expected));
});
