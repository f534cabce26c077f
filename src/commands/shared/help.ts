import type { Command } from "commander";

/** One exit status a command can end with, and what it means for that command. */
export interface ExitCodeHelp {
  readonly code: number;
  readonly meaning: string;
}

/**
 * What a command says about itself, as data: the help renderer (here), the man page
 * (scripts/man.mjs) and `oauth-cli completion` are all built from it, so none is written twice.
 */
export interface CommandHelp {
  /** One line: what the command is for (the command list shows it). */
  readonly purpose: string;
  /** Optional paragraphs printed before the examples. */
  readonly about?: string;
  /** Whole command lines, each starting with (or piped into) `oauth-cli`; a `# comment` may follow. */
  readonly examples: readonly string[];
  readonly exitCodes: readonly ExitCodeHelp[];
  /** Optional text after the exit codes (a table of where parameters go, …). */
  readonly notes?: string;
}

/** The statuses every command can end with; a command adds its own between them. */
export const SUCCESS = (meaning = "success"): ExitCodeHelp => ({ code: 0, meaning });
export const USAGE = (meaning = "usage error: missing or bad flags or input (the message names each)"): ExitCodeHelp => ({ code: 2, meaning });
export const INTERNAL: ExitCodeHelp = { code: 70, meaning: "internal error (a bug: please report it)" };
export const INTERRUPTED: ExitCodeHelp = { code: 130, meaning: "interrupted (Ctrl-C)" };

/** A command's full list: its own codes, plus 70 and 130, sorted by code. The first given for a code wins. */
export function exitCodes(...own: readonly ExitCodeHelp[]): readonly ExitCodeHelp[] {
  const byCode = new Map<number, ExitCodeHelp>();
  for (const entry of [...own, INTERNAL, INTERRUPTED]) if (!byCode.has(entry.code)) byCode.set(entry.code, entry);
  return [...byCode.values()].sort((a, b) => a.code - b.code);
}

/** The commands that send a token request (authorize, exchange, refresh, client-credentials, device). */
export const TOKEN_EXIT_CODES: readonly ExitCodeHelp[] = exitCodes(
  SUCCESS("success: tokens received (and saved where asked)"),
  { code: 1, meaning: "the server answered with an OAuth error (explained on stderr)" },
  USAGE(),
  { code: 3, meaning: "network, TLS or timeout (also: waiting for a token store's lock)" },
  { code: 4, meaning: "protocol violation: unparseable or non-conforming response" },
  { code: 5, meaning: "tokens received but not saved where asked (stderr says where they went instead)" },
);

/** The help text after the options: about, examples, exit codes, notes. */
export function helpAfterOptions(name: string, help: CommandHelp): string {
  const parts: string[] = [];
  if (help.about) parts.push(help.about.trim());
  parts.push(["Examples:", ...help.examples.map((line) => `  ${line}`)].join("\n"));
  parts.push([`Exit codes of ${name}:`, ...help.exitCodes.map(({ code, meaning }) => `  ${String(code).padEnd(4)} ${meaning}`)].join("\n"));
  if (help.notes) parts.push(help.notes.trim());
  return `\n${parts.join("\n\n")}\n`;
}

/** Which table a shared flag comes from: its heading in --help. Own flags have none ("Options:"). */
const groups = new WeakMap<object, string>();

/** Files the flags of a shared table under a heading; a command's own flags are listed before every group. */
export function groupFlags(heading: string, table: Readonly<Record<string, object>>): void {
  for (const spec of Object.values(table)) if (!groups.has(spec)) groups.set(spec, heading);
}

/** The order headings are listed in, after the command's own options. */
export const GROUP_ORDER = ["Endpoint options:", "Client options:", "Request options:", "Output options:", "Token store options:", "Profile options:"] as const;

export function groupOf(spec: object): string | undefined {
  return groups.get(spec);
}

/** Puts the command's purpose, examples and exit codes on it: what `--help` prints. */
export function describe(command: Command, help: CommandHelp): Command {
  described.set(command, help);
  // Written only when help is shown: most runs never show it.
  return command.description(help.purpose).addHelpText("after", () => helpAfterOptions(command.name(), help));
}

/** The help data put on each command, for the man page and completion (which walk the whole command tree). */
const described = new WeakMap<Command, CommandHelp>();

export function helpOf(command: Command): CommandHelp | undefined {
  return described.get(command);
}
