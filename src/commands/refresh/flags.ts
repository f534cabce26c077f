import { type CommandHelp, TOKEN_EXIT_CODES } from "../shared/help.js";
import type { FlagTable, OptionsOf } from "../shared/flag-table.js";
import { CACHE_FLAGS, NEEDS_CLIENT_ID, NEEDS_ENDPOINT, STORE_FLAGS, TOKEN_COMMAND_FLAGS } from "../shared/flags.js";
import type { Requirement } from "../shared/required.js";

export const REFRESH_FLAGS = {
  ...TOKEN_COMMAND_FLAGS,
  ...STORE_FLAGS,
  ...CACHE_FLAGS,
  refreshToken: { value: "<token>", secret: { env: "OAUTH_REFRESH_TOKEN" }, description: "the refresh token (env OAUTH_REFRESH_TOKEN; - for standard input)" },
} as const satisfies FlagTable;

export type RefreshOptions = OptionsOf<typeof REFRESH_FLAGS>;

/**
 * A stored set brings its own refresh token and endpoint; without one (no --store, or a store not
 * written yet) both must come from flags or the environment.
 */
export function refreshRequirements(missingStore: string | undefined): readonly Requirement<RefreshOptions>[] {
  return [
    {
      flag: missingStore === undefined
        ? "--refresh-token TOKEN (or OAUTH_REFRESH_TOKEN, or --refresh-token - for standard input)"
        : `--refresh-token TOKEN (or OAUTH_REFRESH_TOKEN): the store ${missingStore} does not exist yet`,
      met: (opts, env) => opts.refreshToken !== undefined || !!env.OAUTH_REFRESH_TOKEN,
    },
    missingStore === undefined ? NEEDS_ENDPOINT : { ...NEEDS_ENDPOINT, flag: `${NEEDS_ENDPOINT.flag} (the store does not exist yet)` },
    REFRESH_NEEDS_CLIENT_ID,
  ];
}

/**
 * RFC 6749 §6 asks only a confidential client to authenticate, but a public client still names
 * itself with client_id (§3.2.1), and servers bind refresh tokens to it: a refresh without one is
 * almost always a forgotten flag. `--auth-method none` given explicitly is the opt-out: then the
 * refresh token goes alone, for the servers that want exactly that.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2.1
 */
const REFRESH_NEEDS_CLIENT_ID: Requirement<RefreshOptions> = {
  flag: "--client-id ID (or OAUTH_CLIENT_ID; to send the refresh token without a client id, give --auth-method none)",
  met: (opts, env) => NEEDS_CLIENT_ID.met(opts, env) || opts.authMethod === "none",
};

export const REFRESH_HELP: CommandHelp = {
  purpose: "trade a refresh token for a new access token (scriptable)",
  examples: [
    "OAUTH_REFRESH_TOKEN=… oauth-cli refresh --issuer https://id.example.com --client-id app -o token",
    "oauth-cli refresh --store ~/.cache/oauth-cli/ci.json --min-ttl 300 -o token   # cached until 5 min before expiry",
  ],
  exitCodes: TOKEN_EXIT_CODES,
};
