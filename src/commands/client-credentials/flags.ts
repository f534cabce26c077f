import type { FlagTable, OptionsOf } from "../shared/flag-table.js";
import { CACHE_FLAGS, NEEDS_CLIENT_ID, NEEDS_ENDPOINT, STORE_FLAGS, TOKEN_COMMAND_FLAGS } from "../shared/flags.js";
import type { Requirement } from "../shared/required.js";

export const CLIENT_CREDENTIALS_FLAGS = { ...TOKEN_COMMAND_FLAGS, ...STORE_FLAGS, ...CACHE_FLAGS } as const satisfies FlagTable;

export type ClientCredentialsOptions = OptionsOf<typeof CLIENT_CREDENTIALS_FLAGS>;

export const CLIENT_CREDENTIALS_REQUIRED: readonly Requirement<ClientCredentialsOptions>[] = [NEEDS_ENDPOINT, NEEDS_CLIENT_ID];

export const CLIENT_CREDENTIALS_HELP = `
Example:
  OAUTH_CLIENT_SECRET=… oauth-cli client-credentials --issuer https://id.example.com --client-id svc --scope api:read
  OAUTH_CLIENT_SECRET=… oauth-cli client-credentials --issuer https://id.example.com --client-id svc --dpop-key ~/.config/svc-dpop.jwk
      # a DPoP-bound token (RFC 9449); the key file is created (0600) on first use
`;
