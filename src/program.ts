import { Command } from "commander";
import type { CommandHost, CommandModule } from "./commands/command.js";
import type { Context } from "./context.js";
import { VERSION } from "./version.js";

export const EXIT_CODES_HELP = `
Exit codes:
  0    success
  1    the server answered with an OAuth error (explained on stderr)
  2    usage error: missing or bad flags or input (the message names each)
  3    network, TLS or timeout (also: waiting for a token store's lock)
  4    protocol violation: unparseable or non-conforming response
  5    tokens received but not saved where asked (stderr says where they went instead)
  130  interrupted (Ctrl-C)`;

interface CommandEntry {
  readonly name: string;
  readonly description: string;
  readonly hidden?: boolean;
  /** The module that declares the command's flags and action (src/commands/<name>/command.ts). */
  readonly load: () => Promise<CommandModule>;
}

/** Every subcommand, in --help order: name, description and where its module is. */
const COMMANDS: readonly CommandEntry[] = [
  {
    name: "authorize",
    description: "sign in through the browser: authorization code flow with PKCE and a loopback redirect",
    load: () => import("./commands/authorize/command.js"),
  },
  { name: "exchange", description: "exchange an authorization code for tokens", load: () => import("./commands/exchange/command.js") },
  { name: "refresh", description: "trade a refresh token for a new access token (scriptable)", load: () => import("./commands/refresh/command.js") },
  {
    name: "client-credentials",
    description: "get a token for the client itself (client_credentials grant)",
    load: () => import("./commands/client-credentials/command.js"),
  },
  {
    name: "decode-error",
    description: "explain an OAuth error: what it means, the likely causes ranked, and what to try",
    load: () => import("./commands/decode-error/command.js"),
  },
  {
    name: "sandbox",
    description: "run a real local authorization server to try oauth-cli against, and to reproduce errors",
    load: () => import("./commands/sandbox/command.js"),
  },
  { name: "demo", description: "the tour behind `npm run demo`: a sandbox and each command against it", hidden: true, load: () => import("./commands/demo/command.js") },
  {
    name: "profile",
    description: "named settings (issuer, client id, scope, store, …) in the config file; never secrets",
    load: () => import("./commands/profile/command.js"),
  },
  {
    name: "inspect",
    description: "decode a JWT, verify its signature against the issuer's keys, and check its claims (ID tokens too)",
    load: () => import("./commands/inspect/command.js"),
  },
  {
    name: "device",
    description: "sign in on another device with a user code: device authorization grant (RFC 8628), for machines without a browser",
    load: () => import("./commands/device/command.js"),
  },
  {
    name: "keys",
    description: "make a client key pair for private_key_jwt: the private key to a file, the public JWK Set to register",
    load: () => import("./commands/keys/command.js"),
  },
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
 * The command tree. Every subcommand is listed (name and description, for --help and
 * suggestions), but loading a command's module and declaring its flags costs start-up time a run
 * mostly does not need: given argv, only the subcommand it names is loaded and configured.
 * Without argv, all are.
 */
export async function buildProgram(ctx: Context, argv: readonly string[] | undefined, host: CommandHost): Promise<Command> {
  const output = { writeOut: (text: string) => ctx.stdout.write(text), writeErr: (text: string) => ctx.stderr.write(text) };
  const program = new Command("oauth-cli")
    .description("Get OAuth 2.0 / OpenID Connect tokens fast, and find out why a provider said no.")
    .version(VERSION, "-V, --version")
    .helpOption("-h, --help", "show help")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText("after", EXIT_CODES_HELP)
    .exitOverride()
    .configureOutput(output)
    // Profiles are merged here, once, for every command that has --profile.
    .hook("preAction", async (_program, action) => (await import("./config/apply-profile.js")).applyProfile(ctx, action));

  const selected = selectSubcommand(argv);
  const chosen = COMMANDS.map((entry) => ({ entry, command: program.command(entry.name, { hidden: entry.hidden ?? false }).description(entry.description) }))
    .filter(({ entry }) => selected === undefined || selected === entry.name);
  const modules = await Promise.all(chosen.map(({ entry }) => entry.load()));
  chosen.forEach(({ entry, command }, i) => {
    command.exitOverride().configureOutput(output);
    // The hidden demo keeps commander's plain help.
    if (!entry.hidden) command.helpOption("-h, --help", "show help").showHelpAfterError("(run with --help for usage)").addHelpText("after", EXIT_CODES_HELP);
    modules[i]!.configure(command, ctx, host);
  });
  return program;
}
