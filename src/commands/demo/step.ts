import type { Context } from "../../context.js";
import { createHttpClient } from "../../http/send.js";
import type { Style } from "../../output/style.js";
import type { CommandHost } from "../command.js";

/** What one command of the tour printed, and how it ended. */
export interface StepRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ShownCommand {
  readonly argv: readonly string[];
  /** Variables set for this command only, e.g. OAUTH_REFRESH_TOKEN. */
  readonly env?: Readonly<Record<string, string>>;
  /** Values to show shortened in the `$ …` line (tokens, codes): real value → what is shown. */
  readonly shorten?: ReadonlyMap<string, string>;
  readonly openBrowser?: (url: string) => Promise<void>;
}

/**
 * Shows `$ oauth-cli …` and runs it in-process through main() (handed down as `host`), exactly
 * as the shell would run it. The command's stderr (notes, URLs, error explanations) is shown indented as it comes;
 * its stdout is captured for the tour to summarise.
 */
export async function runShown(ctx: Context, host: CommandHost, style: Style, command: ShownCommand): Promise<StepRun> {
  ctx.stdout.write(`${style.cyan(`$ ${formatCommandLine(command)}`)}\n`);
  let stdout = "";
  let stderr = "";
  const shown = indentLines((text) => ctx.stdout.write(text));
  const env = { ...ctx.env, ...command.env };
  const child: Context = {
    ...ctx,
    // The tour is one stream on stdout, so the command's stderr gets stdout's colour decision.
    stdout: { isTTY: ctx.stdout.isTTY, write: (s) => void (stdout += s) },
    stderr: { isTTY: ctx.stdout.isTTY, write: (s) => void ((stderr += s), shown.write(s)) },
    env,
    // main() closes its context's HTTP client when the command ends: each command gets its own.
    http: createHttpClient(env, () => ctx.now()),
    openBrowser: command.openBrowser ?? ((url) => ctx.openBrowser(url)),
  };
  const exitCode = await host.runCommandLine(command.argv, child);
  shown.flush();
  return { exitCode, stdout, stderr };
}

/** A command line as a user would type it: quoted where the shell needs it, secrets shortened. */
export function formatCommandLine(command: Pick<ShownCommand, "argv" | "env" | "shorten">): string {
  const show = (value: string) => command.shorten?.get(value) ?? quoteForShell(value);
  const env = Object.entries(command.env ?? {}).map(([name, value]) => `${name}=${show(value)}`);
  return [...env, "oauth-cli", ...command.argv.map(show)].join(" ");
}

function quoteForShell(value: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Writes text with every line indented by two spaces, whole lines at a time. */
function indentLines(write: (text: string) => void): { write(text: string): void; flush(): void } {
  let pending = "";
  return {
    write(text) {
      pending += text;
      const end = pending.lastIndexOf("\n");
      if (end < 0) return;
      write(pending.slice(0, end + 1).replace(/^(?=.)/gm, "  "));
      pending = pending.slice(end + 1);
    },
    flush() {
      if (pending) write(`  ${pending}\n`);
      pending = "";
    },
  };
}
