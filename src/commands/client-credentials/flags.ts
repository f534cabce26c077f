import { type CommandHelp, TOKEN_EXIT_CODES } from "../shared/help.js";
import type { FlagTable, OptionsOf } from "../shared/flag-table.js";
import { CACHE_FLAGS, NEEDS_CLIENT_ID, NEEDS_ENDPOINT, STORE_FLAGS, TOKEN_COMMAND_FLAGS } from "../shared/flags.js";
import type { Requirement } from "../shared/required.js";

export const CLIENT_CREDENTIALS_FLAGS = { ...TOKEN_COMMAND_FLAGS, ...STORE_FLAGS, ...CACHE_FLAGS } as const satisfies FlagTable;

export type ClientCredentialsOptions = OptionsOf<typeof CLIENT_CREDENTIALS_FLAGS>;

export const CLIENT_CREDENTIALS_REQUIRED: readonly Requirement<ClientCredentialsOptions>[] = [NEEDS_ENDPOINT, NEEDS_CLIENT_ID];

export const CLIENT_CREDENTIALS_HELP: CommandHelp = {
  purpose: "get a token for the client itself (client_credentials grant)",
  examples: [
    "OAUTH_CLIENT_SECRET=… oauth-cli client-credentials --issuer https://id.example.com --client-id svc --scope api:read",
    "oauth-cli client-credentials --profile ci --store ~/.cache/oauth-cli/svc.json -o token   # reused until a minute before expiry",
    "OAUTH_CLIENT_SECRET=… oauth-cli client-credentials --issuer https://id.example.com --client-id svc --dpop-key ~/.config/svc-dpop.jwk\n    # a DPoP-bound token (RFC 9449); the key file is created (0600) on first use",
  ],
  exitCodes: TOKEN_EXIT_CODES,
};
