import { type CommandHelp, exitCodes, SUCCESS, USAGE } from "../shared/help.js";
import type { FlagTable, OptionsOf } from "../shared/flag-table.js";
import { ENDPOINT_FLAGS, OUTPUT_FLAGS, PROFILE_FLAGS } from "../shared/flags.js";
import { ACCESS_TOKEN_FLAGS } from "../shared/stored-access.js";

/** curl's letters, so a curl command line carries over; -o stays the output mode of the other commands, hence --out. */
export const REQUEST_COMMAND_FLAGS = {
  method: { short: "-X", value: "<method>", description: "HTTP method (default: GET, or POST with -d)" },
  header: { short: "-H", value: "<Name: value>", repeatable: true, description: "request header, repeatable" },
  data: { short: "-d", value: "<data>", description: "request body: the text itself, @FILE, or - for standard input (JSON is sent as application/json, other text as a form)" },
  include: { short: "-i", description: "print the response status and headers on stderr (secrets redacted)" },
  out: { value: "<file>", description: "write a 2xx body to this file (mode 0600; whole or not at all) instead of standard output" },
  ...ACCESS_TOKEN_FLAGS,
  issuer: { value: ENDPOINT_FLAGS.issuer.value, description: "with --store: the issuer the store's tokens must come from (default: the store's own)" },
  verbose: { short: "-v", description: "print the request and the response headers on stderr, secrets redacted" },
  showSecrets: OUTPUT_FLAGS.showSecrets,
  timeout: { value: "<seconds>", default: "30", description: "time limit until the response headers, then for each pause in the body" },
  caFile: OUTPUT_FLAGS.caFile,
  ...PROFILE_FLAGS,
} as const satisfies FlagTable;

export type RequestOptions = OptionsOf<typeof REQUEST_COMMAND_FLAGS>;

export const REQUEST_HELP: CommandHelp = {
  purpose: "call an API with the access token; the body on stdout, a refusal explained",
  about: `Calls an API with the access token as a bearer token (RFC 6750 §2.1) and prints the response
body on standard output as it arrives (binary bodies as they are). With --store, the token is
refreshed first when it has less than --min-ttl left, and the new tokens are saved. A DPoP-bound
token (a store's, with its key; or --access-token with --dpop-key) is sent as Authorization: DPoP
with a proof carrying its hash (RFC 9449 §7); use_dpop_nonce gets one retry.`,
  examples: [
    "oauth-cli request https://api.example.com/v1/me --store tokens.json",
    'oauth-cli request https://api.example.com/v1/items -X POST -H "Content-Type: application/json" -d @item.json --store tokens.json -i',
    'echo "$ACCESS_TOKEN" | oauth-cli request https://api.example.com/report.pdf --access-token - --out report.pdf',
  ],
  exitCodes: exitCodes(
    SUCCESS("a 2xx (or 3xx, not followed) answer"),
    { code: 1, meaning: "a 4xx or 5xx answer (a 401 or 403 with WWW-Authenticate explained)" },
    USAGE("bad flags, or a binary body for a terminal"),
    { code: 3, meaning: "network, TLS or timeout (also a body cut off)" },
    { code: 5, meaning: "refreshed tokens could not be saved (printed instead)" },
  ),
};
