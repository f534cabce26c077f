import { rmSync } from "node:fs";
import { connect } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, expect } from "vitest";
import { argvFor, baseArgv, COMMANDS, hostilePaths, hostileValues, newTally, runCase, summary, sweepArgv, sweepValues, tmpRoot, type Tally } from "./fuzz.js";
import { startHostileServer, type HostileServer } from "./hostile-server.js";
import { RAW_CONTROL } from "./support.js";
import { binaryString } from "../support/arbitraries.js";

/** The scenarios of the attack suite, sized by the caller (a few seconds in `npm test`, more under stress). */

export interface Sizes {
  /** Bad-argument runs per subcommand. */
  readonly perCommand: number;
  /** Runs of the one-flag sweep (sweepArgv), a seeded sample; Infinity for all of them. */
  readonly sweep: number;
  readonly decodeInputs: number;
  readonly callbackRounds: number;
  /** Time budget of one whole scenario; it stops early (and says so) when spent. */
  readonly scenarioBudgetMs: number;
  readonly seed: number;
}

/** The hostile server and a temp folder for one test file, gone when it ends. */
export function useAttackSetup(): { server: () => HostileServer; root: () => string } {
  let server: HostileServer;
  let root: string;
  beforeAll(async () => {
    server = await startHostileServer();
    root = tmpRoot();
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });
  return { server: () => server, root: () => root };
}

/** No finding of any kind, and something was tried. */
export function expectClean(tally: Tally): void {
  expect(tally.findings).toEqual([]);
  expect({ exit70: tally.exit70, hangs: tally.hangs, leaks: tally.leaks, lost: tally.lost, other: tally.other }).toEqual({ exit70: 0, hangs: 0, leaks: 0, lost: 0, other: 0 });
  expect(tally.inputs).toBeGreaterThan(0);
}

function report(name: string, tally: Tally): Tally {
  // The one line the lead copies into the release note.
  console.error(summary(name, tally));
  return tally;
}

function regressions(serverUrl: string): string[][] {
  const cc = ["client-credentials", ...baseArgv("client-credentials", serverUrl)];
  return [
    [...cc, "--timeout", "1e20"],
    [...cc, "--timeout", "99999999"],
    ["client-credentials", "--token-endpoint", `${serverUrl}/pct/token`, "--client-id", "app", "-v"],
    ["client-credentials", "--token-endpoint", `${serverUrl}/tokens/token?%zz=1`, "--client-id", "app", "-v"],
    ["refresh", "--token-endpoint", `${serverUrl}/pct/token`, "--client-id", "app", "-v", "-o", "token"],
    [...cc, "--client-id", "\ud800", "-o", "token"],
  ];
}

export async function badArguments(server: HostileServer, root: string, sizes: Sizes): Promise<Tally> {
  const tally = newTally();
  const paths = hostilePaths(root);
  const values = hostileValues(server.url, paths);
  const deadline = Date.now() + sizes.scenarioBudgetMs;
  for (const [i, command] of Object.keys(COMMANDS).entries()) {
    // A valid sandbox run lasts until its Ctrl-C (the budget): fewer of them.
    const count = command === "sandbox" ? Math.ceil(sizes.perCommand / 4) : sizes.perCommand;
    const cases = fc.sample(argvFor(command, values, server.url), { seed: sizes.seed + i, numRuns: count });
    for (const argv of cases) {
      if (Date.now() > deadline) return report("bad arguments (stopped at the time budget)", tally);
      // A valid sandbox or authorize run waits for Ctrl-C or a browser: the budget is that Ctrl-C.
      await runCase(tally, { argv, stdin: "\u001b]0;stdin\u0007%zz" }, { budgetMs: command === "sandbox" ? 1200 : 4000, home: root });
    }
  }
  const all = sweepArgv(server.url, sweepValues(server.url, paths[0]!));
  // What broke once is always tried: --timeout out of range, -v on %zz (exit 70 before).
  for (const argv of regressions(server.url)) await runCase(tally, { argv, expectToken: argv.includes("--timeout") ? undefined : "hostile-access-token-1" }, { budgetMs: 4000, home: root });
  const sweep = sizes.sweep >= all.length ? all : fc.sample(fc.shuffledSubarray(all, { minLength: sizes.sweep, maxLength: sizes.sweep }), { seed: sizes.seed, numRuns: 1 })[0]!;
  for (const argv of sweep) {
    if (Date.now() > deadline) return report("bad arguments (stopped at the time budget)", tally);
    await runCase(tally, { argv, stdin: "\u001b]0;stdin\u0007%zz" }, { budgetMs: 4000, home: root });
  }
  return report("bad arguments", tally);
}

/** encodeURIComponent, except that a lone surrogate (which it refuses) goes in raw: hostile input need not be valid. */
function enc(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Error texts in every shape decode-error reads, with hostile content in each field. */
function decodeInputs(): fc.Arbitrary<string> {
  const nasty = fc.oneof(
    fc.constantFrom("\u001b]0;pwned\u0007", "\u001b[2J", "\r\nhint: forged", "\u009b31m", "\u202e", "%zz", "\u0000", "x".repeat(5000), "🙂", "\ud800", "__proto__"),
    fc.string({ maxLength: 20 }),
    binaryString({ maxLength: 20 }),
  );
  const code = fc.oneof(fc.constantFrom("invalid_grant", "invalid_client", "access_denied", "AADSTS700016", "invalid_token"), nasty);
  return fc.oneof(
    fc.tuple(code, nasty, nasty, nasty).map(([error, d, u, s]) => JSON.stringify({ error, error_description: d, error_uri: u, state: s })),
    fc.tuple(code, nasty, nasty).map(([e, d, s]) => `http://127.0.0.1:8080/callback?error=${enc(e)}&error_description=${enc(d)}&state=${s}`),
    fc.tuple(code, nasty).map(([e, d]) => `Bearer error="${e}", error_description="${d}"`),
    fc.tuple(code, nasty).map(([e, d]) => `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nX-Request-Id: ${d}\r\n\r\n{"error":${JSON.stringify(e)}}`),
    fc.tuple(code, nasty).map(([e, d]) => `{"success":false,"errorMessage":${JSON.stringify(d)},"errorCode":${JSON.stringify(e)}}`),
    fc.tuple(code, nasty).map(([e, d]) => `error=${e}&error_description=${d}`),
    fc.string({ maxLength: 200 }),
    binaryString({ maxLength: 200 }),
    fc.json({ maxDepth: 4 }),
  );
}

export async function decodeErrorFuzz(root: string, sizes: Sizes): Promise<Tally> {
  const tally = newTally();
  const deadline = Date.now() + sizes.scenarioBudgetMs;
  const inputs = fc.sample(decodeInputs(), { seed: sizes.seed, numRuns: sizes.decodeInputs });
  for (const [i, input] of inputs.entries()) {
    if (Date.now() > deadline) return report("decode-error (stopped at the time budget)", tally);
    const argv = i % 3 === 0 ? ["decode-error", "--json"] : i % 3 === 1 ? ["decode-error"] : ["decode-error", input];
    const run = await runCase(tally, { argv, stdin: input }, { budgetMs: 4000, home: root });
    // decode-error's result is diagnostics too: its stdout must be as terminal-safe as stderr.
    if (run && RAW_CONTROL.test(run.stdout)) {
      tally.other++;
      tally.findings.push(`raw control character on decode-error stdout: ${JSON.stringify(input).slice(0, 200)}`);
    }
  }
  return report("decode-error", tally);
}

const ROUTES_WITH_TOKENS = new Set(["/tokens/token", "/escape-tokens/token", "/pct/token", "/pct-json/token", "/wrong-type/token"]);

const ALL_VARIANTS: readonly (readonly string[])[] = [[], ["-v"], ["-v", "-o", "pretty"], ["--auth-method", "client_secret_post", "-o", "env"]];

/** Every route of the hostile server against each token command, plain and -v, each output format. */
export async function hostileResponses(
  server: HostileServer,
  root: string,
  routes: readonly string[],
  options: { name?: string; commands?: readonly string[]; variants?: readonly (readonly string[])[]; timeout?: string; expectExits?: readonly number[] } = {},
): Promise<Tally> {
  const tally = newTally();
  for (const path of routes) {
    for (const command of options.commands ?? ["client-credentials", "refresh", "exchange"]) {
      for (const extra of options.variants ?? ALL_VARIANTS) {
        const grant = command === "exchange" ? ["--code", "fuzz-code-value-1", "--redirect-uri", "http://127.0.0.1:9/cb", "--code-verifier", "v".repeat(43)] : [];
        const argv = [command, "--token-endpoint", `${server.url}${path}`, "--client-id", "app", "--timeout", options.timeout ?? "5", ...grant, ...extra];
        const expectToken = ROUTES_WITH_TOKENS.has(path) ? "hostile-access-token-1" : undefined;
        await runCase(tally, { argv, expectToken, expectExits: options.expectExits }, { budgetMs: 15_000, home: root });
      }
    }
  }
  return report(options.name ?? "hostile server responses", tally);
}

/** One raw HTTP request, bytes as given (a hostile local process need not use a well-behaved client). */
function hit(url: URL, path: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    let answer = "";
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer.split("\r\n")[0] ?? "");
    };
    const timer = setTimeout(done, 3000);
    socket.on("connect", () => socket.write(`GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`));
    socket.on("data", (chunk: Buffer) => (answer += chunk.toString("latin1")));
    socket.on("end", done);
    socket.on("error", done);
  });
}

/**
 * Requests a hostile page or process on this machine could send to the loopback listener before the
 * real redirect (the listener is the hnet branch's; this is the light version): wrong paths, no
 * state, a wrong state, escapes, %zz, a huge query. Then the real redirect (an error) ends the run.
 */
export async function hostileCallbacks(server: HostileServer, root: string, sizes: Sizes): Promise<Tally> {
  const tally = newTally();
  const junk = fc.sample(
    fc.oneof(
      fc.constantFrom("/favicon.ico", "/", "/callback/../x", "/%zz", "/callback?%zz=1", "/callback?state=%zz&code=x", "/callback?error=\u001b]0;x\u0007"),
      fc.string({ maxLength: 40 }).map((s) => `/callback?error=${enc(s)}&state=${enc(s)}`),
      fc.constant(`/callback?code=${"a".repeat(60_000)}`),
    ),
    { seed: sizes.seed, numRuns: sizes.callbackRounds * 6 },
  );
  for (let round = 0; round < sizes.callbackRounds; round++) {
    const argv = ["authorize", "--authorization-endpoint", `${server.url}/authorize`, "--token-endpoint", `${server.url}/tokens/token`, "--client-id", "app", "--auth-method", "none", "--wait", "20", ...(round % 2 ? ["-v"] : [])];
    await runCase(
      tally,
      {
        argv,
        // The real redirect carries error=access_denied: exit 1, the provider said no.
        expectExits: [1],
        openBrowser: async (authorizationUrl) => {
          const auth = new URL(authorizationUrl);
          const redirect = new URL(auth.searchParams.get("redirect_uri")!);
          for (const path of junk.slice(round * 6, round * 6 + 6)) await hit(redirect, path.replace(/^\/callback/, redirect.pathname));
          const state = encodeURIComponent(auth.searchParams.get("state") ?? "");
          await hit(redirect, `${redirect.pathname}?error=access_denied&error_description=${encodeURIComponent("no\u001b]0;pwned\u0007")}&state=${state}`);
        },
      },
      { budgetMs: 15_000, home: root },
    );
  }
  return report("hostile callback requests", tally);
}

