import type { Context } from "./context.js";
import { CliError, ExitCode, InterruptedError, OAuthServerError } from "./errors/cli-error.js";
import { guardContext, writeVerbatim } from "./output/sink.js";

/** Set by bin/ as the process's exit code. Unknown failures are bugs: exit 70 (EX_SOFTWARE). */
export const INTERNAL_ERROR_EXIT = 70;

/**
 * Runs one command line. The one try/catch of the program: every error becomes a message on
 * stderr and an exit code; nothing else decides either.
 */
export async function main(argv: readonly string[], given: Context): Promise<number> {
  // One sink for the whole run: every line, error lines included, is redacted and terminal-safe.
  const ctx = guardContext(given);
  try {
    const { buildProgram } = await import("./program.js");
    // main is handed down (not imported) to the one command that runs command lines itself: the demo.
    const program = await buildProgram(ctx, argv, { runCommandLine: main });
    await program.parseAsync([...argv], { from: "user" });
    return ExitCode.ok;
  } catch (error) {
    return await reportError(error, ctx, argv);
  } finally {
    await ctx.http.close?.();
  }
}

async function reportError(error: unknown, ctx: Context, argv: readonly string[]): Promise<number> {
  const commanderCode = (error as { code?: unknown }).code;
  if (typeof commanderCode === "string" && commanderCode.startsWith("commander.")) {
    // commander has already printed its message (through ctx) by now.
    if (commanderCode === "commander.helpDisplayed" || commanderCode === "commander.version" || commanderCode === "commander.help") return ExitCode.ok;
    return ExitCode.usage;
  }
  if (error instanceof InterruptedError || (error as { name?: string }).name === "AbortError" || ctx.signal.aborted) {
    ctx.stderr.write("interrupted\n");
    return ExitCode.interrupted;
  }
  if (error instanceof CliError) {
    try {
      const { renderError, renderErrorJson } = await import("./errors/render.js");
      // The sink wraps the explanation to the terminal; the JSON form is data and is not wrapped.
      ctx.stderr.write(await renderError(error, ctx, { verbose: argv.includes("-v") || argv.includes("--verbose") }));
      if (error instanceof OAuthServerError && asksForJson(argv)) writeVerbatim(ctx, await renderErrorJson(error));
    } catch (renderFailure) {
      // The explanation is a bonus; the message and the exit code must get out regardless.
      const { visible } = await import("./output/terminal.js");
      ctx.stderr.write(`error: ${visible(error.message)}\n${error.hint ? `hint: ${error.hint}\n` : ""}`);
      if (ctx.env.OAUTH_CLI_DEBUG) ctx.stderr.write(`(could not explain: ${String(renderFailure)})\n`);
    }
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  ctx.stderr.write(`internal error: ${message}\nThis is a bug in oauth-cli; please report it with the command you ran (secrets removed).\n`);
  if (ctx.env.OAUTH_CLI_DEBUG && error instanceof Error && error.stack) ctx.stderr.write(`${error.stack}\n`);
  return INTERNAL_ERROR_EXIT;
}

/**
 * `--json`, `-o json`, `-ojson`, `--output json` or `--output=json` on the command line: read from
 * argv because the failure may come before (or from) the parsing of options. Only before `--`.
 */
export function asksForJson(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  const args = end === -1 ? argv : argv.slice(0, end);
  return args.some((arg, i) => arg === "--json" || arg === "-ojson" || arg === "--output=json" || ((arg === "-o" || arg === "--output") && args[i + 1] === "json"));
}
