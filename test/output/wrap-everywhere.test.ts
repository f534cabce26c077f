import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutputStream } from "../../src/context.js";
import { main } from "../../src/main.js";
import { guardContext, writeVerbatim } from "../../src/output/sink.js";
import { displayWidth, wrapText } from "../../src/output/wrap.js";
import { createTestContext, runCli } from "../support/cli.js";
import { completeLoginHttp } from "../support/login.js";
import { authorizationUrl, BASIC, pkcePair, PUBLIC, startTestProvider, type Sandbox } from "../support/provider.js";
import { makeTempDir } from "../support/temp.js";

// Every pretty writer and every message on stderr fits a (fake) terminal's width, through the
// Context's `columns`; data (the -v trace, JSON, a QR code) and anything off a terminal is left whole.
// Against the real oidc-provider (the sandbox), real HTTP.
let sandbox: Sandbox;
let store: string;
const REDIRECT = "http://127.0.0.1:8123/callback";
beforeAll(async () => {
  sandbox = await startTestProvider();
  const { verifier, challenge } = pkcePair();
  const final = new URL(await completeLoginHttp(authorizationUrl(sandbox, { redirectUri: REDIRECT, challenge, scope: "openid profile email offline_access" })));
  store = join(makeTempDir("wrap"), "tokens.json");
  const run = await runCli(["exchange", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--code", final.searchParams.get("code")!, "--redirect-uri", REDIRECT, "--code-verifier", verifier, "--store", store]);
  expect(run.exitCode, run.stderr).toBe(0);
});
afterAll(async () => sandbox?.close());

const words = (text: string) => text.split(/\s+/).filter(Boolean);
/** Every line fits in `columns`, unless it is one unbreakable word (a URL, a token) on its own. */
function expectFits(text: string, columns: number): void {
  for (const line of text.split("\n")) if (displayWidth(line) > columns) expect(line.trim(), `${JSON.stringify(line)} is wider than ${columns}`).not.toContain(" ");
}
const partition = (lines: string[], test: (line: string) => boolean) => [lines.filter(test), lines.filter((line) => !test(line))] as const;
const widest = (text: string) => Math.max(...text.split("\n").map(displayWidth));

describe("pretty output on stdout wraps on a terminal, and only there", () => {
  const cases: [string, () => string[]][] = [
    ["introspect", () => ["introspect", "--store", store, "-o", "pretty"]],
    ["userinfo", () => ["userinfo", "--store", store, "--issuer", sandbox.issuer, "-o", "pretty"]],
    ["inspect", () => ["inspect", "-o", "pretty", "--", JSON.parse(readFileSync(store, "utf8")).id_token as string]],
  ];
  it.each(cases)("%s on a 30-column terminal: every line fits, the words are the same; a pipe gets them whole", async (_name, argv) => {
    // One clock for both runs: "in 0 s" and "1 s ago" are other words.
    const at = Date.now();
    const now = () => at;
    const tty = await runCli(argv(), { now, stdoutTTY: true, stdoutColumns: 30 });
    const pipe = await runCli(argv(), { now, stdoutColumns: 30 });
    expect(tty.exitCode, tty.stderr).toBe(0);
    expect(pipe.exitCode, pipe.stderr).toBe(0);
    expect(widest(pipe.stdout)).toBeGreaterThan(30); // there is something to wrap
    expectFits(tty.stdout, 30);
    expect(words(tty.stdout)).toEqual(words(pipe.stdout));
  });

  it("the sandbox's banner fits a 40-column terminal", async () => {
    const interrupt = new AbortController();
    const ctx = createTestContext({ signal: interrupt.signal, stdoutTTY: true, stdoutColumns: 40 });
    const exit = main(["sandbox", "--port", "0"], ctx);
    while (!ctx.err().includes("Running until Ctrl-C")) await new Promise((resolve) => setTimeout(resolve, 20));
    interrupt.abort();
    expect(await exit).toBe(0);
    expect(ctx.out(), ctx.err()).toContain("sandbox-public");
    const [commands, prose] = partition(ctx.out().split("\n"), (line) => /^\s*(?:[A-Z_]+=\S*\s+)?oauth-cli /.test(line));
    expectFits(prose.join("\n"), 40);
    // Example commands are for copying: kept on one line however narrow the terminal.
    expect(commands.some((line) => /^\s*oauth-cli authorize --issuer http\S+ --client-id sandbox-public/.test(line))).toBe(true);
  });
});

describe("messages on stderr wrap on a terminal; the -v trace never does", () => {
  const argv = () => ["introspect", "--issuer", sandbox.issuer, "--client-id", BASIC.id, "--token", "-", "--show-secrets"];
  const env = { OAUTH_CLIENT_SECRET: BASIC.secret };

  it("warning: lines fit a 40-column terminal with a hanging indent; a pipe gets them whole", async () => {
    const tty = await runCli(argv(), { stdin: "no-such-token", env, stderrTTY: true, stderrColumns: 40 });
    const pipe = await runCli(argv(), { stdin: "no-such-token", env });
    expect(tty.exitCode).toBe(0);
    const warning = pipe.stderr.split("\n").find((line) => line.startsWith("warning: --show-secrets"))!;
    expect(displayWidth(warning)).toBeGreaterThan(40);
    expectFits(tty.stderr, 40);
    expect(words(tty.stderr)).toEqual(words(pipe.stderr));
    const lines = tty.stderr.split("\n");
    const at = lines.findIndex((line) => line.startsWith("warning: --show-secrets"));
    expect(lines[at + 1]).toMatch(/^ {9}\S/);
  });

  it("-v on a 40-column terminal: the trace's lines are the pipe's, long ones unbroken", async () => {
    const tty = await runCli([...argv(), "-v"], { stdin: "no-such-token", env, stderrTTY: true, stderrColumns: 40 });
    const pipe = await runCli([...argv(), "-v"], { stdin: "no-such-token", env });
    expect(tty.exitCode).toBe(0);
    const trace = (text: string) => text.split("\n").filter((line) => /^[<>*] /.test(line)).map((line) => line.replace(/^< date: .*/i, "< date").replace(/^\* \d+ ms$/, "* ms"));
    const lines = trace(tty.stderr);
    expect(lines.length).toBeGreaterThan(5);
    expect(lines).toEqual(trace(pipe.stderr));
    // The request line with the token endpoint's URL is longer than the terminal and stays one line.
    expect(lines.some((line) => displayWidth(line) > 40 && line.includes(" "))).toBe(true);
  });
});

describe("request -i on a narrow terminal", () => {
  it("prints the response head's lines whole, as a pipe gets them", async () => {
    const argv = ["request", `${sandbox.issuer}/me`, "--store", store, "-i"];
    const tty = await runCli(argv, { stderrTTY: true, stderrColumns: 20 });
    const pipe = await runCli(argv);
    expect(tty.exitCode, tty.stderr).toBe(0);
    const head = (text: string) => text.split("\n").filter((line) => /^[a-z-]+: /.test(line) && !/^date: /.test(line));
    expect(head(tty.stderr)).toContain("content-type: application/json; charset=utf-8");
    expect(head(tty.stderr)).toEqual(head(pipe.stderr));
  });
});

describe("the sink", () => {
  const tty = (columns: number) => {
    let written = "";
    const stream: OutputStream = { write: (s) => void (written += s), isTTY: true, columns };
    return { stream, written: () => written };
  };

  it("wraps what goes to stderr on a terminal, but not what is written verbatim (a QR code, a trace, the countdown)", () => {
    const err = tty(30);
    const ctx = guardContext({ ...createTestContext(), stderr: err.stream });
    const row = `${"██  ".repeat(12)}\n`;
    writeVerbatim(ctx, row);
    expect(err.written()).toBe(row);
    ctx.stderr.write(`note: ${"some words ".repeat(6).trim()}\n`);
    expectFits(err.written().slice(row.length), 30);
    expect(err.written().slice(row.length).split("\n").length).toBeGreaterThan(2);
  });

  it("nothing is wrapped off a terminal", () => {
    let written = "";
    const ctx = guardContext({ ...createTestContext(), stderr: { write: (s) => void (written += s), isTTY: false, columns: 30 } });
    const line = `warning: ${"some words ".repeat(10).trim()}\n`;
    ctx.stderr.write(line);
    expect(written).toBe(line);
  });
});

describe("East Asian wide characters take two columns", () => {
  it("measures CJK, kana, Hangul, fullwidth forms and emoji as two, combining marks as none", () => {
    expect(displayWidth("日本語")).toBe(6);
    expect(displayWidth("カナ한글")).toBe(8);
    expect(displayWidth("ＡＢ")).toBe(4);
    expect(displayWidth("🔑")).toBe(2);
    expect(displayWidth("e\u0301")).toBe(1);
    expect(displayWidth("\x1b[31m日本\x1b[39m")).toBe(4);
  });

  it("wraps a description in Japanese to the terminal's columns, not its characters", () => {
    const line = "error: 認証 コード は 期限切れ です。 もう一度 サインイン して ください";
    const wrapped = wrapText(line, 20);
    for (const row of wrapped.split("\n")) expect(displayWidth(row)).toBeLessThanOrEqual(20);
    expect(words(wrapped)).toEqual(words(line));
    // Counted as characters, the first row would hold more than 20 columns.
    expect([...wrapped.split("\n")[0]!].length).toBeLessThan(20);
  });
});
