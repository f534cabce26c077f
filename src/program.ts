import { Command } from "commander";
import type { CommandHost, CommandModule } from "./commands/command.js";
import type { Context } from "./context.js";
import { VERSION } from "./version.js";

/** The top-level --help: what any command may exit with (each command's --help lists its own). */
export const EXIT_CODES_HELP = `
Exit codes:
  0    success
  1    the server answered with an OAuth error (explained on stderr)
  2    usage error: missing or bad flags or input (the message names each)
  3    network, TLS or timeout (also: waiting for a token store's lock)
  4    protocol violation: unparseable or non-conforming response
  5    tokens received but not saved where asked (stderr says where they went instead)
  70   internal error (a bug: please report it)
  130  interrupted (Ctrl-C)
Each command's --help lists the ones it can end with, and its examples.`;

interface CommandEntry {
  readonly name: string;
  readonly hidden?: boolean;
  /** The module that declares the command's flags and action (src/commands/<name>/command.ts). */
  readonly load: () => Promise<CommandModule>;
}

/** Every subcommand, in --help order: name and where its module is (which declares its purpose, see help.ts). */
export const COMMANDS: readonly CommandEntry[] = [
  { name: "authorize", load: () => import("./commands/authorize/command.js") },
  { name: "exchange", load: () => import("./commands/exchange/command.js") },
  { name: "refresh", load: () => import("./commands/refresh/command.js") },
  { name: "client-credentials", load: () => import("./commands/client-credentials/command.js") },
  { name: "token-exchange", load: () => import("./commands/token-exchange/command.js") },
  { name: "grant", load: () => import("./commands/grant/command.js") },
  { name: "decode-error", load: () => import("./commands/decode-error/command.js") },
  { name: "sandbox", load: () => import("./commands/sandbox/command.js") },
  { name: "completion", load: () => import("./commands/completion/command.js") },
  { name: "demo", hidden: true, load: () => import("./commands/demo/command.js") },
  { name: "profile", load: () => import("./commands/profile/command.js") },
  { name: "inspect", load: () => import("./commands/inspect/command.js") },
  { name: "device", load: () => import("./commands/device/command.js") },
  { name: "keys", load: () => import("./commands/keys/command.js") },
  { name: "introspect", load: () => import("./commands/introspect/command.js") },
  { name: "revoke", load: () => import("./commands/revoke/command.js") },
  { name: "userinfo", load: () => import("./commands/userinfo/command.js") },
  { name: "request", load: () => import("./commands/request/command.js") },
];

/**
 * The subcommand this command line runs, when that is certain: the first argument names it (or
 * `help <name>` does). Then only that one needs its options; otherwise (no subcommand, an unknown
 * one, options first) all get them, so commander's help, errors and suggestions stay the same.
 */
function selectSubcommand(argv: readonly string[] | undefined): string | undefined {
  const name = argv?.[0] === "help" ? argv[1] : argv?.[0];
  return COMMANDS.some((entry) => entry.name === name) ? name : undefined;
}

/**
 * The command tree. Loading a command's module and declaring its flags costs start-up time a run
 * mostly does not need: given argv that names its subcommand, only that one is made, loaded and
 * configured. Otherwise (and without argv) all are, so --help lists every subcommand and an unknown
 * one gets its suggestion.
 */
export async function buildProgram(ctx: Context, argv: readonly string[] | undefined, host: CommandHost): Promise<Command> {
  const output = { writeOut: (text: string) => ctx.stdout.write(text), writeErr: (text: string) => ctx.stderr.write(text) };
  const program = new Command("oauth-cli")
    .description("Get OAuth 2.0 / OpenID Connect tokens fast, and find out why a provider said no.")
    .version(VERSION, "-V, --version")
    // The program's own options (-V, -h) only before the subcommand: otherwise the root scans
    // the whole line without knowing which words are values, and `--code -Vx…` (a code, verifier
    // or token may start with "-V") printed the version and exited 0, sending nothing.
    .enablePositionalOptions()
    .helpOption("-h, --help", "show help")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText("after", EXIT_CODES_HELP)
    .exitOverride()
    .configureOutput(output)
    // Profiles are merged here, once, for every command that has --profile; a run that names none
    // (the flag or OAUTH_PROFILE) has nothing to merge, and does not load the config modules.
    .hook("preAction", async (_program, action) => {
      if (action.getOptionValue("profile") === undefined && !ctx.env.OAUTH_PROFILE) return;
      (await import("./config/apply-profile.js")).applyProfile(ctx, action);
    });

  const selected = selectSubcommand(argv);
  if (argv !== undefined) host = { ...host, wholeProgram: () => buildProgram(ctx, undefined, host) };
  // A command line that names its subcommand never lists or suggests the others: not made at all.
  const chosen = COMMANDS.filter((entry) => selected === undefined || selected === entry.name)
    .map((entry) => ({ entry, command: program.command(entry.name, { hidden: entry.hidden ?? false }) }));
  const modules = await Promise.all(chosen.map(({ entry }) => entry.load()));
  chosen.forEach(({ entry, command }, i) => {
    command.exitOverride().configureOutput(output);
    // Each module puts its own purpose, examples and exit codes on its command (help.ts).
    command.helpOption("-h, --help", "show help").showHelpAfterError("(run with --help for usage)");
    modules[i]!.configure(command, ctx, host);
  });
  return program;
}
