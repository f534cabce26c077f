import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import fc from "fast-check";
import { buildProgram } from "../../src/program.js";
import { type CliRun, createTestContext, runCli } from "../support/cli.js";
import { basicValue, leaks, RAW_CONTROL, STACK_TRACE } from "./support.js";
import { makeTempDir } from "../support/temp.js";
import { binaryString } from "../support/arbitraries.js";

/**
 * The attack suite's engine: deterministic inputs (fast-check, fixed seed), each run in-process
 * under a time budget, every outcome checked the same way and tallied for the summary line.
 * A run that throws away tokens, prints a secret, exits 70 or outlives its budget is a finding.
 */

export const ALLOWED_EXITS = new Set([0, 1, 2, 3, 4, 130]);
export const CLIENT_SECRET = "Fuzz-Client+Secret/=é";
export const REFRESH_TOKEN = "fuzz-refresh-token+/=42";
const SECRETS = [CLIENT_SECRET, REFRESH_TOKEN, basicValue("app", CLIENT_SECRET)];

export interface Tally {
  inputs: number;
  exit70: number;
  hangs: number;
  leaks: number;
  lost: number;
  /** Other findings: a stack trace, an exit code outside the documented set, a raw control byte. */
  other: number;
  findings: string[];
  /** The slowest run, to spot what eats the time budget (not asserted: timing belongs in `npm run bench`). */
  slowest: { ms: number; argv: string; exit: number | undefined };
  exits: Record<string, number>;
}

export function newTally(): Tally {
  return { inputs: 0, exit70: 0, hangs: 0, leaks: 0, lost: 0, other: 0, findings: [], slowest: { ms: 0, argv: "", exit: undefined }, exits: {} };
}

export function summary(name: string, tally: Tally): string {
  return `attack summary [${name}]: inputs tried ${tally.inputs}, exit-70s ${tally.exit70}, hangs ${tally.hangs}, secrets leaked ${tally.leaks}, tokens lost ${tally.lost}, other findings ${tally.other} (exit codes ${JSON.stringify(tally.exits)}; slowest ${tally.slowest.ms} ms, exit ${tally.slowest.exit}: ${tally.slowest.argv.slice(0, 160)})`;
}

function note(tally: Tally, argv: readonly string[], what: string): void {
  if (tally.findings.length < 20) tally.findings.push(`${what}: ${JSON.stringify(argv).slice(0, 400)}`);
}

export interface Case {
  readonly argv: readonly string[];
  readonly stdin?: string;
  /** The access token the server will send, when it sends one: it must reach stdout. */
  readonly expectToken?: string;
  /** When given, the only acceptable exit codes for this case. */
  readonly expectExits?: readonly number[];
  /** Browser stand-in for authorize (gets the authorization URL). */
  readonly openBrowser?: (url: string, abort: () => void) => Promise<void>;
}

/** Runs one case under `budgetMs` (then Ctrl-C), and counts it as hung if it is not over `graceMs` later. */
export async function runCase(tally: Tally, input: Case, options: { budgetMs: number; graceMs?: number; home: string }): Promise<CliRun | undefined> {
  tally.inputs++;
  const controller = new AbortController();
  const abort = () => controller.abort();
  const budget = setTimeout(abort, options.budgetMs);
  const home = mkdtempSync(join(options.home, "run-"));
  const run = runCli(input.argv, {
    stdin: input.stdin ?? "",
    signal: controller.signal,
    homedir: home,
    cwd: home,
    env: { OAUTH_CLIENT_SECRET: CLIENT_SECRET, OAUTH_REFRESH_TOKEN: REFRESH_TOKEN, XDG_CONFIG_HOME: join(home, "config"), XDG_STATE_HOME: join(home, "state"), OAUTH_PROFILE: undefined },
    openBrowser: async (url) => (input.openBrowser ? input.openBrowser(url, abort) : (abort(), Promise.reject(new Error("no browser in the attack suite")))),
  });
  let hung = false;
  const grace = new Promise<undefined>((resolve) => {
    const timer = setTimeout(() => {
      hung = true;
      resolve(undefined);
    }, options.budgetMs + (options.graceMs ?? 5000));
    void run.finally(() => clearTimeout(timer)).catch(() => undefined);
  });
  let result: CliRun | undefined;
  const started = Date.now();
  try {
    result = await Promise.race([run, grace]);
  } catch (error) {
    // main() never throws: this is a finding in itself.
    tally.other++;
    note(tally, input.argv, `main threw ${String(error)}`);
    return undefined;
  } finally {
    clearTimeout(budget);
    const ms = Date.now() - started;
    if (ms > tally.slowest.ms) tally.slowest = { ms, argv: JSON.stringify(input.argv), exit: result?.exitCode };
  }
  if (result) tally.exits[result.exitCode] = (tally.exits[result.exitCode] ?? 0) + 1;
  if (hung || !result) {
    tally.hangs++;
    note(tally, input.argv, "hang");
    controller.abort();
    return undefined;
  }
  check(tally, input, result);
  return result;
}

function check(tally: Tally, input: Case, run: CliRun): void {
  const { argv } = input;
  // main.ts's message for a bug starts a line; the help's exit-code list ("70   internal error (…)") is not one.
  if (run.exitCode === 70 || /^internal error:/m.test(run.stderr)) {
    tally.exit70++;
    note(tally, argv, `exit ${run.exitCode}: ${run.stderr.slice(0, 300)}`);
  } else if (!ALLOWED_EXITS.has(run.exitCode) || (input.expectExits && !input.expectExits.includes(run.exitCode))) {
    tally.other++;
    note(tally, argv, `exit ${run.exitCode}: ${run.stderr.slice(0, 300)}`);
  }
  if (STACK_TRACE.test(run.stderr) || STACK_TRACE.test(run.stdout)) {
    tally.other++;
    note(tally, argv, `stack trace: ${run.stderr.slice(0, 300)}`);
  }
  if (RAW_CONTROL.test(run.stderr)) {
    tally.other++;
    note(tally, argv, `raw control character on stderr: ${JSON.stringify(run.stderr.match(RAW_CONTROL)?.[0])}`);
  }
  if (!argv.includes("--show-secrets")) {
    const found = leaks(run.stderr, SECRETS);
    if (found.length) {
      tally.leaks++;
      note(tally, argv, `leaked ${found.join(", ")}`);
    }
  }
  if (input.expectToken !== undefined && run.exitCode !== 130 && !run.stdout.includes(input.expectToken)) {
    tally.lost++;
    note(tally, argv, `tokens lost (exit ${run.exitCode}): ${run.stderr.slice(0, 300)}`);
  }
}

/** Files a hostile user or a broken disk hands us (no FIFO or /dev/zero here: those are for a child process, see hostile-files). */
export function hostilePaths(root: string): string[] {
  const dir = join(root, "files");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "empty"), "");
  writeFileSync(join(dir, "garbage"), Buffer.from([0, 1, 2, 0x1b, 0x5d, 0x30, 0x3b, 0x78, 0x07, 0xff, 0xfe, 0x9b]));
  writeFileSync(join(dir, "json-array"), "[]");
  writeFileSync(join(dir, "json-proto"), '{"__proto__":{"polluted":1},"profiles":{"__proto__":{"issuer":1}},"tokens":null}');
  writeFileSync(join(dir, "big"), "x".repeat(3 * 1024 * 1024));
  try {
    symlinkSync(join(dir, "loop-b"), join(dir, "loop-a"));
    symlinkSync(join(dir, "loop-a"), join(dir, "loop-b"));
  } catch {
    // already there
  }
  return [dir, join(dir, "empty"), join(dir, "garbage"), join(dir, "json-array"), join(dir, "json-proto"), join(dir, "big"), join(dir, "loop-a"), join(dir, "missing", "x"), "/dev/null", "/", "/proc/self/mem"];
}

/** Flag values chosen to hurt: empty, huge, control characters, numbers out of range, bad escapes, odd URLs and paths. */
export function hostileValues(serverUrl: string, paths: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...fixedHostileValues(serverUrl, paths)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
    { weight: 1, arbitrary: binaryString({ maxLength: 30 }) },
    { weight: 1, arbitrary: fc.double().map(String) },
    { weight: 1, arbitrary: fc.integer().map(String) },
  );
}

export function fixedHostileValues(serverUrl: string, paths: readonly string[]): string[] {
  return [
    "", " ", "-", "--", "0", "-1", "-0", "NaN", "1e20", "1e-20", "1e400", "Infinity", "-Infinity", "0x10", "1.5", "65536", "99999", "80", "true",
    "%zz", "%", "%00", "%E0%A4%A", "a=b", "=", "=x", ":", "x:", "\u001b]0;pwned\u0007", "\u001b[2J", "\u0000", "\r\nhint: forged", "\u009b31m", "\u202e",
    "x".repeat(100_000), "🙂", "\ud800", "__proto__", "constructor", "toString", "hasOwnProperty",
    "http://", "https://", "http://127.0.0.1:1/token", "http://[::1]:1/t", "http://0.0.0.0:1/", "http://user:pw-secret-777@127.0.0.1:1/t", "file:///etc/passwd",
    "javascript:alert(1)", "data:text/plain,x", "ftp://x/", "http://a b/", "http://%zz/", "http://127.0.0.1:99999/",
    `${serverUrl}/echo-json/token`, `${serverUrl}/echo-text/token`, `${serverUrl}/escape-json/token`, `${serverUrl}/tokens/token`, `${serverUrl}/pct/token?%zz=1`,
    `${serverUrl}/bad-json/token`, `${serverUrl}/huge-error/token`, `${serverUrl}/deep-json/token`, serverUrl,
    "openid", "openid profile", "S256", "plain", "none", "query", "fragment", "form_post", "client_secret_basic", "client_secret_post", "json", "form", "pretty", "env", "token",
    ...paths,
  ];
}

/**
 * Every flag of a command, one at a time, with every fixed hostile value, on top of a valid command
 * line: the inputs that reach past the first check (a --timeout of 1e20 only hurts once the request
 * is sent). The sandbox is left to the random part: each of its valid runs lasts until the budget.
 */
/** The values of the sweep: the kinds that broke something once (numbers out of range, bad escapes, controls, huge, odd URLs). */
export function sweepValues(serverUrl: string, dir: string): string[] {
  return [
    "", "-1", "0", "NaN", "1e20", "1e-20", "Infinity", "99999", "%zz", "%", "=", ":", "\u001b]0;pwned\u0007", "\r\nhint: forged", "\u0000",
    "x".repeat(100_000), "\ud800", "secret\ud800value", "__proto__", "http://", "http://user:pw-secret-777@127.0.0.1:1/t", "javascript:alert(1)", "/dev/null", dir,
    "file:///etc/passwd", `${serverUrl}/echo-json/token`, `${serverUrl}/tokens/token?%zz=1`,
  ];
}

export function sweepArgv(serverUrl: string, values: readonly string[]): string[][] {
  const out: string[][] = [];
  for (const [command, spec] of Object.entries(COMMANDS)) {
    if (command === "sandbox" || command === "") continue;
    for (const flag of spec.flags) for (const value of values) out.push([...command.split(" "), ...baseArgv(command, serverUrl), flag, value]);
  }
  return out;
}

export interface CommandSpec {
  readonly flags: readonly string[];
  readonly booleans: readonly string[];
  readonly positional?: boolean;
}

/**
 * Every subcommand with the flags it takes, read from the program itself (src/program.ts), so a new
 * command or flag is fuzzed the day it lands. The hidden demo runs a browser tour: not fuzzed here.
 */
export async function programCommands(): Promise<Record<string, CommandSpec>> {
  const program = await buildProgram(createTestContext(), undefined, { runCommandLine: async () => 0 });
  const out: Record<string, CommandSpec> = {};
  const add = (name: string, command: Command) => {
    const flags: string[] = [];
    const booleans: string[] = [];
    for (const option of command.options) {
      const flag = option.long ?? option.short;
      if (flag === undefined) continue;
      (option.required || option.optional ? flags : booleans).push(flag);
    }
    out[name] = { flags, booleans, positional: command.registeredArguments.length > 0 };
  };
  for (const command of program.commands) {
    if ((command as unknown as { _hidden?: boolean })._hidden) continue;
    if (command.commands.length === 0) add(command.name(), command);
    for (const sub of command.commands) add(`${command.name()} ${sub.name()}`, sub);
  }
  out[""] = { flags: ["--help", "--version"], booleans: ["-V", "-h"], positional: true };
  return out;
}

export const COMMANDS: Readonly<Record<string, CommandSpec>> = await programCommands();

/** A JWT (unsigned, alg none) for inspect's valid command line. */
function sampleJwt(issuer: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "none", typ: "JWT" })}.${part({ iss: issuer, sub: "fuzz", aud: "app", exp: 4_102_444_800, iat: 1_700_000_000 })}.`;
}

/** A valid command line for each command, against the hostile server: the fuzz mutates it, so inputs get past the first check. */
export function baseArgv(command: string, serverUrl: string): string[] {
  const token = ["--token-endpoint", `${serverUrl}/tokens/token`, "--client-id", "app"];
  switch (command) {
    case "client-credentials":
    case "refresh":
      return token;
    case "exchange":
      return [...token, "--code", "fuzz-code-value-1", "--redirect-uri", "http://127.0.0.1:9/cb", "--code-verifier", "v".repeat(43)];
    case "authorize":
      return ["--authorization-endpoint", `${serverUrl}/authorize`, ...token, "--auth-method", "none"];
    case "device":
      return ["--device-authorization-endpoint", `${serverUrl}/echo-json/token`, ...token];
    case "inspect":
      return [sampleJwt(serverUrl), "--no-verify"];
    case "profile set":
      return ["fuzz", "--issuer", "https://as.example"];
    case "profile show":
    case "profile delete":
      return ["fuzz"];
    default:
      return [];
  }
}

/**
 * argv for one command: half the time a valid command line with a few flags overridden by hostile
 * values (commander keeps the last), else some of its flags with hostile values in any order;
 * sometimes a stray argument.
 */
export function argvFor(command: string, values: fc.Arbitrary<string>, serverUrl: string): fc.Arbitrary<string[]> {
  const spec = COMMANDS[command]!;
  const flag = fc.oneof(
    ...(spec.flags.length ? [fc.tuple(fc.constantFrom(...spec.flags), values).map(([f, v]) => [f, v])] : []),
    ...(spec.booleans.length ? [fc.constantFrom(...spec.booleans).map((f) => [f])] : []),
    fc.tuple(fc.constantFrom("--bogus", "-Z", "--", "--output=", "--timeout="), values).map(([f, v]) => (f.endsWith("=") ? [`${f}${v}`] : [f, v])),
  );
  const positional = spec.positional ? fc.array(values, { maxLength: 2 }) : fc.constant([] as string[]);
  const base = fc.constantFrom(baseArgv(command, serverUrl), [] as string[]);
  return fc
    .tuple(base, fc.array(flag, { maxLength: 5 }), positional)
    .map(([start, flags, rest]) => [...(command ? command.split(" ") : []), ...start, ...flags.flat(), ...rest]);
}

export function tmpRoot(): string {
  return makeTempDir("attack");
}
