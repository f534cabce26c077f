import { spawn, execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { newTally, summary, type Tally } from "./fuzz.js";
import { RAW_CONTROL, STACK_TRACE } from "./support.js";

/**
 * Files that fight back, handed to every flag that reads a file: a FIFO nobody writes, /dev/zero,
 * a directory, a symlink loop, megabytes of random bytes, escapes. These run the built binary in a
 * child process (`npm test` builds first): a read that blocks the whole process cannot be stopped
 * in-process. A run is hung when SIGTERM after `budgetMs` does not end it within SIGTERM_GRACE_MS.
 * (The files' owner is the hfiles branch; this is the light version, for the figures.)
 */

/** Generous: a loaded machine is slow to start a process and to close a sandbox. */
const SIGTERM_GRACE_MS = 5000;

const BIN = fileURLToPath(new URL("../../bin/oauth-cli.js", import.meta.url));

export type FileKind = "fifo" | "zero" | "dir" | "loop" | "random" | "escapes" | "empty";

export function makeHostileFiles(root: string): Record<FileKind, string> {
  const dir = join(root, "hostile-files");
  mkdirSync(join(dir, "a-directory"), { recursive: true });
  execFileSync("mkfifo", [join(dir, "fifo")]);
  symlinkSync(join(dir, "loop-b"), join(dir, "loop-a"));
  symlinkSync(join(dir, "loop-a"), join(dir, "loop-b"));
  let seed = 7;
  const random = Buffer.alloc(5 * 1024 * 1024, 0).map(() => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff);
  writeFileSync(join(dir, "random"), random);
  writeFileSync(join(dir, "escapes"), '{"\u001b]0;pwned\u0007": "\u001b[2J", "profiles": {"x": {"issuer": "\u001b]0;x\u0007"}}}');
  writeFileSync(join(dir, "empty"), "");
  return { fifo: join(dir, "fifo"), zero: "/dev/zero", dir: join(dir, "a-directory"), loop: join(dir, "loop-a"), random: join(dir, "random"), escapes: join(dir, "escapes"), empty: join(dir, "empty") };
}

export interface FileCase {
  readonly name: string;
  readonly argv: readonly string[];
  /** A run that only ends by SIGTERM (the sandbox): exit 0 then is success. */
  readonly serves?: boolean;
}

export function fileCases(files: Record<FileKind, string>, kinds: readonly FileKind[], options: { sandbox: boolean }): FileCase[] {
  const token = ["--token-endpoint", "http://127.0.0.1:1/token", "--client-id", "app"];
  const cases: FileCase[] = [];
  for (const kind of kinds) {
    const file = files[kind];
    cases.push({ name: `--client-secret-file ${kind}`, argv: ["client-credentials", ...token, "--client-secret-file", file] });
    cases.push({ name: `--ca-file ${kind}`, argv: ["client-credentials", ...token, "--auth-method", "none", "--ca-file", file] });
    cases.push({ name: `--store ${kind}`, argv: ["client-credentials", ...token, "--auth-method", "none", "--store", file] });
    cases.push({ name: `--config ${kind}`, argv: ["client-credentials", ...token, "--auth-method", "none", "--profile", "x", "--config", file] });
    cases.push({ name: `profile list --config ${kind}`, argv: ["profile", "list", "--config", file] });
    // A sandbox that starts serves until the SIGTERM at the budget: slow, so only at stress size.
    if (options.sandbox) cases.push({ name: `sandbox --state-file ${kind}`, argv: ["sandbox", "--port", "0", "-q", "--state-file", file], serves: true });
  }
  return cases;
}

function runBin(argv: readonly string[], home: string, budgetMs: number): Promise<{ exitCode: number | null; signal: string | null; stdout: string; stderr: string; hung: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...argv], {
      env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", HOME: home, XDG_CONFIG_HOME: join(home, "config"), XDG_STATE_HOME: join(home, "state") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let hung = false;
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const term = setTimeout(() => child.kill("SIGTERM"), budgetMs);
    const kill = setTimeout(() => {
      hung = true;
      child.kill("SIGKILL");
    }, budgetMs + SIGTERM_GRACE_MS);
    child.on("close", (exitCode, signal) => {
      clearTimeout(term);
      clearTimeout(kill);
      resolve({ exitCode, signal, stdout, stderr, hung });
    });
  });
}

/**
 * Runs the cases; `known` lists findings already reported to the branch that owns them: they still
 * count in the summary line (the figures are honest) but are not this suite's failure.
 */
export async function hostileFiles(cases: readonly FileCase[], home: string, options: { budgetMs: number; known: ReadonlySet<string> }): Promise<{ tally: Tally; unexpected: string[] }> {
  const tally = newTally();
  const unexpected: string[] = [];
  for (const c of cases) {
    tally.inputs++;
    const started = Date.now();
    const run = await runBin(c.argv, home, options.budgetMs);
    const exit = run.hung ? "hang" : String(run.exitCode ?? run.signal);
    tally.exits[exit] = (tally.exits[exit] ?? 0) + 1;
    const ms = Date.now() - started;
    if (ms > tally.slowest.ms) tally.slowest = { ms, argv: JSON.stringify(c.argv), exit: run.exitCode ?? undefined };
    const problems: string[] = [];
    if (run.hung) {
      tally.hangs++;
      problems.push("hang");
    } else if (run.exitCode === 70) {
      tally.exit70++;
      problems.push(`exit 70: ${run.stderr.slice(0, 160)}`);
    } else if (run.exitCode === null || ![0, 1, 2, 3, 4, 130].includes(run.exitCode)) {
      tally.other++;
      problems.push(`exit ${run.exitCode ?? run.signal}`);
    }
    if (STACK_TRACE.test(run.stderr) || RAW_CONTROL.test(run.stderr)) {
      tally.other++;
      problems.push("stack trace or raw control character on stderr");
    }
    for (const problem of problems) {
      const finding = `${c.name}: ${problem}`;
      tally.findings.push(finding);
      if (!options.known.has(c.name)) unexpected.push(finding);
    }
  }
  console.error(summary("hostile files", tally));
  if (tally.findings.length) console.error(`hostile files, findings (known ones belong to the files branch): ${tally.findings.join("; ")}`);
  return { tally, unexpected };
}

/**
 * Findings owned by another branch: counted in the figures, not failed here. Empty since the
 * files branch (bounded reads of regular files only, the sandbox's state file) is merged.
 */
export const KNOWN_ELSEWHERE: ReadonlySet<string> = new Set();
