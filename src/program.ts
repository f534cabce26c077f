import { Command, Option } from "commander";
import type { Context } from "./context.js";
import { addProfileCommands } from "./cli/profile-commands.js";
import { AUTH_METHODS } from "./oauth/client-auth.js";
import { OUTPUT_MODES } from "./output/format.js";
import { VERSION } from "./version.js";

export const EXIT_CODES_HELP = `
Exit codes:
  0    success
  1    the server answered with an OAuth error (explained on stderr)
  2    usage error: missing or bad flags or input (the message names each)
  3    network, TLS or timeout (also: waiting for a token store's lock)
  4    protocol violation: unparseable or non-conforming response
  130  interrupted (Ctrl-C)`;

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function addEndpointOptions(command: Command): Command {
  return command
    .option("--issuer <url>", "issuer URL; endpoints come from its discovery document (RFC 8414, then OpenID)")
    .option("--token-endpoint <url>", "token endpoint URL (skips discovery)");
}

function addClientOptions(command: Command): Command {
  return command
    .option("--client-id <id>", "client id (env OAUTH_CLIENT_ID)")
    .option("--client-secret-file <path>", "read the client secret from a file (- for standard input)")
    .option("--client-secret <value>", "client secret; - reads standard input. Prefer env OAUTH_CLIENT_SECRET: a value here is visible to other local users")
    .addOption(new Option("--auth-method <method>", "how the client authenticates (default: basic with a secret, else none; with discovery, the first the server supports)").choices(AUTH_METHODS))
    .addOption(new Option("--body-format <format>", "token request body encoding (default: form)").choices(["form", "json"]));
}

function addRequestOptions(command: Command): Command {
  return command
    .option("--scope <scopes>", 'space-separated scopes, e.g. "openid profile"')
    .option("--param <name=value>", "extra request parameter, repeatable (audience, resource, …)", collect)
    .option("--header <Name: value>", "extra request header, repeatable", collect);
}

function addOutputOptions(command: Command): Command {
  return command
    .addOption(new Option("-o, --output <format>", "output format (default: pretty on a terminal, json otherwise)").choices(OUTPUT_MODES))
    .option("--json", "same as --output json")
    .option("-v, --verbose", "print every HTTP exchange on stderr, secrets redacted")
    .option("--show-secrets", "with --verbose: do not redact secrets")
    .option("--timeout <seconds>", "time limit per request", "30")
    .option("--ca-file <path>", "extra CA certificates (PEM) to trust, on top of the system's and NODE_EXTRA_CA_CERTS");
}

function addProfileOptions(command: Command): Command {
  return command
    .option("--profile <name>", "take settings from this profile (env OAUTH_PROFILE); flags override it")
    .option("--config <path>", "config file (default: $XDG_CONFIG_HOME/oauth-cli/config.json, else ~/.config/oauth-cli/config.json)");
}

/** Options shared by every command that talks to a token endpoint. */
export function addTokenEndpointOptions(command: Command): Command {
  return addProfileOptions(addOutputOptions(addRequestOptions(addClientOptions(addEndpointOptions(command)))));
}

/** --store (and, for commands that can answer from it, the cache flags). */
export function addStoreOptions(command: Command, options: { cache: boolean }): Command {
  command
    .option("--store <path>", "keep the token set in this file (0600; atomic writes; locked against concurrent runs)")
    .option("--lock-timeout <seconds>", "with --store: how long to wait for another run's lock (default 60; then exit 3)");
  if (!options.cache) return command;
  return command
    .option("--min-ttl <seconds>", "with --store: reuse the stored access token while it has this much life left (default 60)")
    .option("--force", "with --store: get a new token even if the stored one is still valid");
}

type Subcommand = {
  name: string;
  description: string;
  hidden?: boolean;
  /** Options, arguments, help text and action: added only when a run can reach them (see buildProgram). */
  configure(command: Command, ctx: Context): void;
};

/** Every subcommand, in --help order. Each action imports its command module only when it runs. */
const SUBCOMMANDS: readonly Subcommand[] = [
  {
    name: "authorize",
    description: "sign in through the browser: authorization code flow with PKCE and a loopback redirect",
    configure: (command, ctx) =>
      addStoreOptions(addTokenEndpointOptions(command), { cache: false })
        .option("--authorization-endpoint <url>", "authorization endpoint URL (with --token-endpoint, skips discovery)")
        .addOption(new Option("--pkce <method>", "PKCE method; plain and none only when the server cannot do S256").choices(["S256", "plain", "none"]).default("S256"))
        .option("--state <value>", "a fixed state, for debugging (default: fresh and random every run)")
        .option("--prompt <value>", "prompt parameter: none, login, consent, select_account")
        .option("--login-hint <value>", "login_hint parameter (an e-mail or user name)")
        .option("--response-mode <mode>", "response_mode parameter: query (default), form_post, fragment (with --paste)")
        .option("--port <port>", "listen on this loopback port (default: a free ephemeral one)")
        .option("--redirect-path <path>", "the callback path (default: /callback)")
        .addOption(new Option("--redirect-host <host>", "host in the redirect URI; localhost listens on 127.0.0.1 and ::1 (default: 127.0.0.1)").choices(["127.0.0.1", "localhost", "[::1]"]))
        .option("--redirect-uri <uri>", "send this redirect_uri instead of the listener's (a registered one behind a forwarder); the listener still binds loopback")
        .option("--wait <seconds>", "how long to wait for the redirect", "300")
        .option("--no-exchange", "print {code, state, code_verifier, redirect_uri, iss} as JSON instead of redeeming the code")
        .option("--no-open", "do not open a browser; the URL is printed on stderr either way")
        .option("--paste", "no listener: paste the URL the browser ends on (or the code) at a prompt, e.g. over SSH")
        .addHelpText("after", "\nExamples:\n  oauth-cli authorize --issuer https://id.example.com --client-id app --scope \"openid profile\"\n  oauth-cli authorize --issuer https://id.example.com --client-id app --no-open --paste   # over SSH\n")
        .action(async (opts) => (await import("./commands/authorize.js")).runAuthorize(ctx, opts)),
  },
  {
    name: "exchange",
    description: "exchange an authorization code for tokens",
    configure: (command, ctx) =>
      addStoreOptions(addTokenEndpointOptions(command), { cache: false })
        .option("--code <code>", "the authorization code (- for standard input)")
        .option("--redirect-uri <uri>", "the redirect_uri the authorization request used, byte for byte")
        .option("--code-verifier <verifier>", "the PKCE code_verifier (- for standard input)")
        .addHelpText("after", "\nExample:\n  oauth-cli exchange --issuer https://id.example.com --client-id app --code - --redirect-uri http://127.0.0.1:8080/callback --code-verifier V\n")
        .action(async (opts) => (await import("./commands/exchange.js")).runExchange(ctx, opts)),
  },
  {
    name: "refresh",
    description: "trade a refresh token for a new access token (scriptable)",
    configure: (command, ctx) =>
      addStoreOptions(addTokenEndpointOptions(command), { cache: true })
        .option("--refresh-token <token>", "the refresh token (env OAUTH_REFRESH_TOKEN; - for standard input)")
        .addHelpText("after", "\nExamples:\n  OAUTH_REFRESH_TOKEN=… oauth-cli refresh --issuer https://id.example.com --client-id app -o token\n  oauth-cli refresh --store ~/.cache/oauth-cli/ci.json --min-ttl 300 -o token   # cached until 5 min before expiry\n")
        .action(async (opts) => (await import("./commands/refresh.js")).runRefresh(ctx, opts)),
  },
  {
    name: "client-credentials",
    description: "get a token for the client itself (client_credentials grant)",
    configure: (command, ctx) =>
      addStoreOptions(addTokenEndpointOptions(command), { cache: true })
        .addHelpText("after", "\nExample:\n  OAUTH_CLIENT_SECRET=… oauth-cli client-credentials --issuer https://id.example.com --client-id svc --scope api:read\n")
        .action(async (opts) => (await import("./commands/client-credentials.js")).runClientCredentials(ctx, opts)),
  },
  {
    name: "decode-error",
    description: "explain an OAuth error: what it means, the likely causes ranked, and what to try",
    configure: (command, ctx) =>
      command
        .argument("[input...]", "the error as sent (joined with spaces); - or nothing reads standard input")
        .option("--json", "print the explanation as one JSON object")
        .addHelpText("after", [
          "\nAccepts, without being told which: a bare code, a JSON error body (any common envelope), a form body or",
          "redirect URL with error=, a WWW-Authenticate header, `curl -i` output, or a provider's message (AADSTS…).",
          "\nExamples:",
          "  oauth-cli decode-error invalid_grant",
          "  oauth-cli decode-error '{\"error\":\"invalid_grant\",\"error_description\":\"Invalid refresh_token\"}'",
          "  oauth-cli decode-error 'http://127.0.0.1:8080/callback?error=access_denied&state=xyz'",
          "  curl -si -d grant_type=client_credentials https://id.example.com/token | oauth-cli decode-error",
          "",
        ].join("\n"))
        .action(async (input: string[], opts) => (await import("./commands/decode-error.js")).runDecodeError(ctx, input, opts)),
  },
  {
    name: "sandbox",
    description: "run a real local authorization server to try oauth-cli against, and to reproduce errors",
    configure: (command, ctx) =>
      command
        .option("--port <n>", "port to listen on (default 8933; when that is taken, any free port, with a note)")
        .option("--host <address>", "loopback address to listen on: 127.0.0.1 (default), ::1 or localhost; nothing else")
        .option("--code-ttl <seconds>", "authorization code lifetime (default 60): reproduces invalid_grant for an expired code")
        .option("--access-token-ttl <seconds>", "access token lifetime (default 3600): reproduces invalid_token at userinfo/introspection")
        .option("--refresh-token-ttl <seconds>", "refresh token lifetime (default 86400): reproduces invalid_grant for an expired refresh token")
        .addOption(new Option("--rotate-refresh-tokens <on|off>", "on (default): each refresh returns a new refresh token and reusing an old one revokes the grant (invalid_grant); off: one refresh token works many times").choices(["on", "off"]))
        .option("--require-pkce", "PKCE for every client, confidential ones too (default: the public client only): reproduces OAuth 2.1 servers refusing requests without code_challenge")
        .option("--require-json-body", 'the token endpoint accepts only JSON bodies (seed 003): a form body gets "Must be json"; fixed by --body-format json')
        .option("--legacy-envelope", 'the token endpoint answers {"success":…,"data":{…}} / {"success":false,"errorMessage":…} (seed 001): tests the legacy-format parsing')
        .option("--array-descriptions", "error_description as an array of strings (seed 001)")
        .option("--clock-skew <seconds>", "the server's clock is off by this much (Date header, iat/exp): reproduces token times that look wrong")
        .option("--auto-login <user>", "log in and consent as USER with no pages at all, for machines without a browser")
        .option("--state-file <path>", "keep codes, tokens, grants and keys in this file across restarts (default: memory only)")
        .option("--json", "print the issuer, clients and commands as one JSON line (for scripts waiting for it)")
        .option("-q, --quiet", "do not log each request on stderr")
        .addHelpText("after", "\nStops on Ctrl-C or SIGTERM with exit status 0.\n\nExample:\n  oauth-cli sandbox --auto-login alice --code-ttl 5\n")
        .action(async (opts) => (await import("./commands/sandbox.js")).runSandbox(ctx, opts)),
  },
  {
    name: "demo",
    description: "the tour behind `npm run demo`: a sandbox and each command against it",
    hidden: true,
    configure: (command, ctx) =>
      command
        .option("--browser", "do the sign-in step in your browser instead of headless")
        .action(async (opts) => (await import("./commands/demo.js")).runDemo(ctx, opts)),
  },
  {
    name: "profile",
    description: "named settings (issuer, client id, scope, store, …) in the config file; never secrets",
    configure: (command, ctx) => addProfileCommands(command, ctx),
  },
];

/**
 * The subcommand this command line runs, when that is certain: the first argument names it (or
 * `help <name>` does). Then only that one needs its options; otherwise (no subcommand, an unknown
 * one, options first) all get them, so commander's help, errors and suggestions stay the same.
 */
function selectSubcommand(argv: readonly string[] | undefined): string | undefined {
  const name = argv?.[0] === "help" ? argv[1] : argv?.[0];
  return SUBCOMMANDS.some((spec) => spec.name === name) ? name : undefined;
}

/**
 * The command tree. Every subcommand is listed (name and description, for --help and
 * suggestions), but building all their options costs start-up time a run mostly does not need:
 * given argv, only the subcommand it names is configured. Without argv, all are.
 */
export function buildProgram(ctx: Context, argv?: readonly string[]): Command {
  const program = new Command("oauth-cli")
    .description("Get OAuth 2.0 / OpenID Connect tokens fast, and find out why a provider said no.")
    .version(VERSION, "-V, --version")
    .helpOption("-h, --help", "show help")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText("after", EXIT_CODES_HELP)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
    })
    // Profiles are merged here, once, for every command that has --profile.
    .hook("preAction", async (_program, action) => (await import("./config/apply-profile.js")).applyProfile(ctx, action));

  const selected = selectSubcommand(argv);
  for (const spec of SUBCOMMANDS) {
    const command = program.command(spec.name, { hidden: spec.hidden ?? false }).description(spec.description);
    if (selected !== undefined && selected !== spec.name) continue;
    command.exitOverride().configureOutput({ writeOut: (text) => ctx.stdout.write(text), writeErr: (text) => ctx.stderr.write(text) });
    // The hidden demo keeps commander's plain help.
    if (!spec.hidden) command.helpOption("-h, --help", "show help").showHelpAfterError("(run with --help for usage)").addHelpText("after", EXIT_CODES_HELP);
    spec.configure(command, ctx);
  }
  return program;
}
