import type { Context } from "../../context.js";
import { CliError, ExitCode } from "../../errors/cli-error.js";
import { peekJwt } from "../../output/format.js";
import { styleFor, type Style } from "../../output/style.js";
import type { Sandbox } from "../../sandbox/types.js";
import type { CommandHost } from "../command.js";
import { createHeadlessBrowser } from "./headless-browser.js";
import { runShown, type ShownCommand, type StepRun } from "./step.js";

export interface TourOptions {
  /** Sign in in the user's real browser (the sandbox's pages) instead of headless auto-login. */
  readonly browser: boolean;
  /** Runs each step's command line (main()). */
  readonly host: CommandHost;
}

type Tokens = Record<string, unknown>;
const USER = "alice";

/**
 * `npm run demo`: starts the sandbox in-process, then runs authorize, refresh,
 * client-credentials, a real invalid_grant, and a revoke followed by an introspect against it as
 * real command lines, and stops it.
 */
export async function runTour(ctx: Context, options: TourOptions): Promise<void> {
  const style = await styleFor(ctx, ctx.stdout);
  const say = (line = "") => ctx.stdout.write(`${line}\n`);
  const { startSandbox } = await import("../../sandbox/server.js");
  const sandbox = await startSandbox({ port: 0, autoLogin: options.browser ? undefined : USER });
  say(`${style.bold("oauth-cli demo")} — each command against a real local authorization server; no account needed`);
  say(style.dim(`Started the sandbox at ${sandbox.issuer} (what \`oauth-cli sandbox${options.browser ? "" : ` --auto-login ${USER}`}\` runs)`));
  try {
    await showSteps(ctx, style, sandbox, options);
  } finally {
    await sandbox.close();
  }
  say();
  say(`${style.green("✓")} Done. Stopped the sandbox; port ${sandbox.port} is free again.`);
  say(`Next: run ${style.cyan("oauth-cli sandbox")} and paste the commands it prints, then point --issuer at your own provider.`);
}

async function showSteps(ctx: Context, style: Style, sandbox: Sandbox, options: TourOptions): Promise<void> {
  const heading = (n: number, text: string) => ctx.stdout.write(`\n${style.bold(`${n}/${STEPS}  ${text}`)}\n`);
  const issuer = ["--issuer", sandbox.issuer];
  const browser = createHeadlessBrowser();

  heading(1, options.browser ? "Sign in in your browser: authorization code flow with PKCE (any user name works)" : `Sign in: authorization code flow with PKCE (the sandbox logs in as ${USER}; no browser needed)`);
  // --no-exchange shows the code and verifier, so step 4 can replay exactly the exchange below.
  const authorized = parseJson(
    await expectSuccess(ctx, options.host, style, 1, {
      argv: ["authorize", ...issuer, "--client-id", "sandbox-public", "--scope", "openid profile email", "--no-exchange", "-o", "json"],
      openBrowser: options.browser ? undefined : (url) => browser.open(url),
    }),
    1,
  );
  await browser.settle();
  const code = String(authorized.code);
  const verifier = String(authorized.code_verifier);
  ctx.stdout.write(`  ${style.green("✓")} code ${code.slice(0, 8)}…, code_verifier ${verifier.slice(0, 8)}…, redirect_uri ${String(authorized.redirect_uri)}\n`);
  const exchange: ShownCommand = {
    argv: ["exchange", ...issuer, "--client-id", "sandbox-public", "--code", code, "--redirect-uri", String(authorized.redirect_uri), "--code-verifier", verifier, "-o", "json"],
    shorten: new Map([[code, "<code>"], [verifier, "<code_verifier>"]]),
  };
  const first = parseJson(await expectSuccess(ctx, options.host, style, 1, exchange), 1);
  showTokens(ctx, style, first);
  await showInspect(ctx, options.host, style, first, [...issuer, "--client-id", "sandbox-public", "--nonce", String(authorized.nonce)]);

  heading(2, "Refresh: trade the refresh token for new tokens");
  const firstRefresh = String(first.refresh_token);
  const refreshed = parseJson(
    await expectSuccess(ctx, options.host, style, 2, {
      argv: ["refresh", ...issuer, "--client-id", "sandbox-public", "-o", "json"],
      env: { OAUTH_REFRESH_TOKEN: firstRefresh },
      shorten: new Map([[firstRefresh, "<refresh_token from step 1>"]]),
    }),
    2,
  );
  showTokens(ctx, style, refreshed);
  if (refreshed.refresh_token && refreshed.refresh_token !== firstRefresh) {
    ctx.stdout.write(`  ${style.yellow("rotated:")} a new refresh token came back; the one from step 1 is now used up, and replaying it revokes the whole grant\n`);
  }

  heading(3, "Client credentials: a token for the client itself, no user");
  const service = parseJson(
    await expectSuccess(ctx, options.host, style, 3, {
      argv: ["client-credentials", ...issuer, "--client-id", "sandbox-basic", "--scope", "api:read", "-o", "json"],
      env: { OAUTH_CLIENT_SECRET: "sandbox-basic-secret" },
    }),
    3,
  );
  showTokens(ctx, style, service);

  heading(4, "A real error: run the same exchange again (codes are single-use)");
  // The same exchange, explained for a person (-o json would add the error as a JSON line on stderr).
  await expectFailure(ctx, options.host, style, { ...exchange, argv: exchange.argv.map((arg, i, all) => (all[i - 1] === "-o" ? "pretty" : arg)) });

  heading(5, "Revoke the refresh token, then introspect its access token: inactive");
  await showRevocation(ctx, options.host, style, issuer, refreshed);
}

/** How many numbered steps the tour shows. */
const STEPS = 5;

/**
 * Step 5: `revoke` the refresh token from step 2 (the public client may revoke its own), then
 * `introspect` the access token of the same grant as the confidential client: the server dropped
 * the grant with its refresh token, so it answers inactive.
 */
async function showRevocation(ctx: Context, host: CommandHost, style: Style, issuer: readonly string[], refreshed: Tokens): Promise<void> {
  const refreshToken = String(refreshed.refresh_token);
  const accessToken = String(refreshed.access_token);
  await expectSuccess(ctx, host, style, 5, {
    argv: ["revoke", ...issuer, "--client-id", "sandbox-public", "--token-type-hint", "refresh_token", "-o", "pretty"],
    env: { OAUTH_TOKEN: refreshToken },
    shorten: new Map([[refreshToken, "<refresh_token from step 2>"]]),
  });
  ctx.stdout.write(`  ${style.green("✓")} revoked (HTTP 200)\n`);
  const answer = parseJson(
    await expectSuccess(ctx, host, style, 5, {
      argv: ["introspect", ...issuer, "--client-id", "sandbox-basic", "-o", "json"],
      env: { OAUTH_CLIENT_SECRET: "sandbox-basic-secret", OAUTH_TOKEN: accessToken },
      shorten: new Map([[accessToken, "<access_token from step 2>"]]),
    }),
    5,
  );
  if (answer.active !== false) throw new CliError(ExitCode.protocol, `demo step 5: the revoked grant's access token should be inactive, the server says ${JSON.stringify(answer)}`);
  ctx.stdout.write(`  ${style.yellow("✗ not active:")} revoking the refresh token ended its grant, and with it the access token from step 2\n`);
}

async function expectSuccess(ctx: Context, host: CommandHost, style: Style, step: number, command: ShownCommand): Promise<StepRun> {
  const run = await runShown(ctx, host, style, command);
  if (run.exitCode !== ExitCode.ok) {
    throw new CliError(run.exitCode === ExitCode.interrupted ? ExitCode.interrupted : ExitCode.protocol, `demo step ${step} failed (exit status ${run.exitCode}); its output is above`);
  }
  return run;
}

async function expectFailure(ctx: Context, host: CommandHost, style: Style, command: ShownCommand): Promise<void> {
  const run = await runShown(ctx, host, style, command);
  if (run.exitCode !== ExitCode.oauth) {
    throw new CliError(ExitCode.protocol, `demo step 4: expected the server to refuse (exit status 1), got exit status ${run.exitCode}`);
  }
  ctx.stdout.write(`  ${style.dim(`exit status ${run.exitCode}: the server said no, and oauth-cli explained why (the diagnosis above is on stderr in real use)`)}\n`);
}

/** inspect on the ID token just received: its signature against the sandbox's keys, and the nonce authorize sent. */
async function showInspect(ctx: Context, host: CommandHost, style: Style, tokens: Tokens, checks: readonly string[]): Promise<void> {
  if (typeof tokens.id_token !== "string") return;
  const idToken = tokens.id_token;
  const run = await expectSuccess(ctx, host, style, 1, { argv: ["inspect", idToken, ...checks, "-o", "pretty"], shorten: new Map([[idToken, "<id_token>"]]) });
  ctx.stdout.write(run.stdout.replace(/^(?=.)/gm, "  "));
}

function parseJson(run: StepRun, step: number): Tokens {
  try {
    return JSON.parse(run.stdout) as Tokens;
  } catch {
    throw new CliError(ExitCode.protocol, `demo step ${step}: the command's output is not the JSON it should be: ${run.stdout.slice(0, 200)}`);
  }
}

/** The tokens, short: opaque ones in full, the ID token by its claims. */
function showTokens(ctx: Context, style: Style, tokens: Tokens): void {
  const lines = [
    style.green(`✓ ${String(tokens.token_type)} access token`) + style.dim(`, expires in ${String(tokens.expires_in)} s${tokens.scope ? `, scope "${String(tokens.scope)}"` : ""}`),
    `  access_token   ${String(tokens.access_token)}`,
  ];
  if (typeof tokens.refresh_token === "string") lines.push(`  refresh_token  ${tokens.refresh_token}`);
  if (typeof tokens.id_token === "string") {
    const claims = peekJwt(tokens.id_token) ?? {};
    const about = ["sub", "email"].filter((k) => claims[k] !== undefined).map((k) => `${k} ${JSON.stringify(claims[k])}`).join(", ");
    lines.push(`  id_token       ${tokens.id_token.slice(0, 24)}…  ${style.dim(`(a JWT: ${about})`)}`);
  }
  ctx.stdout.write(`${lines.map((l) => `  ${l}`).join("\n")}\n`);
}
