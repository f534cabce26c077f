import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wrapFor, wrapText } from "../../src/output/wrap.js";
import { runCli } from "../support/cli.js";
import { type SeedServer, startSeedServer } from "../support/seed-server.js";

let seed: SeedServer;
beforeAll(async () => {
  seed = await startSeedServer();
});
afterAll(async () => {
  await seed.close();
});

const words = (text: string) => text.split(/\s+/).filter(Boolean);
const widest = (text: string) => Math.max(...text.replace(/\x1b\[[0-9;]*m/g, "").split("\n").map((line) => [...line].length));

describe("wrapping pretty output to the terminal", () => {
  it("breaks at spaces with a hanging indent under a label or list marker, never inside a word", () => {
    const line = "hint: The server did not answer in time: raise --timeout, or check a proxy (HTTPS_PROXY/NO_PROXY) or firewall.";
    const wrapped = wrapText(line, 40);
    expect(widest(wrapped)).toBeLessThanOrEqual(40);
    expect(words(wrapped)).toEqual(words(line));
    const [first, ...rest] = wrapped.split("\n");
    expect(first!.startsWith("hint: ")).toBe(true);
    for (const continuation of rest) expect(continuation).toMatch(/^ {6}\S/);
    expect(wrapText("  2. the code was already used once; codes are single-use (RFC 6749 §4.1.2)", 30).split("\n").slice(1)).toEqual(expect.arrayContaining([expect.stringMatching(/^ {5}\S/)]));
  });

  it("keeps a word longer than the line (a URL) whole, on a line of its own", () => {
    const url = "https://id.example.com/realms/some-very-long-realm-name/protocol/openid-connect/token";
    const wrapped = wrapText(`error: could not reach ${url} in time`, 40);
    expect(wrapped.split("\n")).toContain(`       ${url}`);
  });

  it("counts colour codes as no width, and leaves lines that fit as they are", () => {
    const red = "\x1b[31merror:\x1b[39m";
    expect(wrapText(`${red} ${"word ".repeat(7).trim()}`, 41)).toBe(`${red} ${"word ".repeat(7).trim()}`);
    expect(wrapText("short\n\n  indented", 10)).toBe("short\n\n  indented");
  });

  it("wraps only on a terminal: a pipe gets the lines whole", () => {
    const long = "a ".repeat(100).trim();
    expect(wrapFor({ write: () => {}, isTTY: false, columns: 40 })(long)).toBe(long);
    expect(widest(wrapFor({ write: () => {}, isTTY: true, columns: 40 })(long))).toBeLessThanOrEqual(40);
  });

  it("decode-error's explanation on a 60-column terminal: every line fits, the words are the same, and off a terminal nothing is wrapped", async () => {
    const input = '{"error":"invalid_grant","error_description":"Invalid refresh_token"}';
    const tty = await runCli(["decode-error", input], { stdoutTTY: true, stdoutColumns: 60 });
    const pipe = await runCli(["decode-error", input], { stdoutColumns: 60 });
    expect(tty.exitCode).toBe(0);
    expect(widest(pipe.stdout)).toBeGreaterThan(60); // there is something to wrap
    expect(widest(tty.stdout)).toBeLessThanOrEqual(60);
    expect(words(tty.stdout)).toEqual(words(pipe.stdout));
  });

  it("an error's explanation on stderr is wrapped on a terminal, hint lines hanging under their text", async () => {
    const argv = ["client-credentials", "--token-endpoint", "http://127.0.0.1:1/token", "--client-id", "app"];
    const tty = await runCli(argv, { stderrTTY: true, stderrColumns: 50 });
    const pipe = await runCli(argv);
    expect(tty.exitCode).toBe(3);
    expect(widest(pipe.stderr)).toBeGreaterThan(50);
    const lines = tty.stderr.split("\n");
    // Only an unbreakable word (the URL) may be longer than the terminal.
    for (const line of lines) if ([...line].length > 50) expect(line.trim()).not.toContain(" ");
    expect(words(tty.stderr)).toEqual(words(pipe.stderr));
    const hint = lines.findIndex((line) => line.startsWith("hint: "));
    expect(hint).toBeGreaterThan(-1);
    expect(lines[hint + 1]).toMatch(/^ {6}\S/);
  });

  it("pretty tokens on a narrow terminal wrap; -o json on the same terminal is never touched", async () => {
    const argv = ["client-credentials", "--token-endpoint", `${seed.url}/echo/token`, "--client-id", "app"];
    const env = { OAUTH_CLIENT_SECRET: "s3cret" };
    const now = () => Date.UTC(2026, 0, 1); // the same expiry times in every run
    const wide = await runCli(argv, { env, now, stdoutTTY: true });
    const narrow = await runCli(argv, { env, now, stdoutTTY: true, stdoutColumns: 24 });
    expect(narrow.exitCode).toBe(0);
    expect(widest(wide.stdout)).toBeGreaterThan(24);
    for (const line of narrow.stdout.split("\n")) if ([...line].length > 24) expect(line.trim()).not.toContain(" ");
    expect(words(narrow.stdout)).toEqual(words(wide.stdout));
    const json = await runCli([...argv, "-o", "json"], { env, now, stdoutTTY: true, stdoutColumns: 24 });
    expect(JSON.parse(json.stdout)).toMatchObject({ access_token: "seed-access-token-1" });
    expect(json.stdout).toBe((await runCli([...argv, "-o", "json"], { env, now })).stdout);
  });
});
