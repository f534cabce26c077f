import type { FlagTable, OptionsOf } from "../shared/flag-table.js";
import { CACHE_FLAGS, CLIENT_FLAGS, ENDPOINT_FLAGS, OUTPUT_FLAGS, PROFILE_FLAGS, REQUEST_FLAGS, STORE_FLAGS } from "../shared/flags.js";
import type { EndpointKind } from "../shared/server-endpoint.js";

/** The access token: given, or from a store (refreshed first when near expiry, as refresh --store does). */
export const ACCESS_TOKEN_FLAGS = {
  accessToken: { value: "<token>", secret: { env: "OAUTH_ACCESS_TOKEN" }, description: "the access token (env OAUTH_ACCESS_TOKEN; - for standard input)" },
  store: { value: "<path>", description: "use the access token of this token store, refreshed first when it has less than --min-ttl left (the rotation is saved)" },
  lockTimeout: STORE_FLAGS.lockTimeout,
  minTtl: CACHE_FLAGS.minTtl,
  force: { description: "with --store: refresh the access token first even if it is still valid" },
  // Only a refresh of the store needs these: the store names the client, never its secret.
  ...CLIENT_FLAGS,
} as const satisfies FlagTable;

export const USERINFO_FLAGS = {
  issuer: ENDPOINT_FLAGS.issuer,
  userinfoEndpoint: { value: "<url>", description: "userinfo endpoint URL (skips discovery)" },
  ...ACCESS_TOKEN_FLAGS,
  header: REQUEST_FLAGS.header,
  ...OUTPUT_FLAGS,
  ...PROFILE_FLAGS,
} as const satisfies FlagTable;

export type UserinfoOptions = OptionsOf<typeof USERINFO_FLAGS>;

export const USERINFO: EndpointKind = { flag: "--userinfo-endpoint", field: "userinfo_endpoint", what: "an OpenID Connect userinfo endpoint" };

export const USERINFO_HELP = `
Asks the OpenID provider who the access token's user is (OpenID Connect Core §5.3). A refusal is
explained from its WWW-Authenticate challenge (invalid_token, insufficient_scope and the scope it needs).

Examples:
  oauth-cli userinfo --store tokens.json
  echo "$ACCESS_TOKEN" | oauth-cli userinfo --issuer https://id.example.com --access-token - -o json

Exit codes of userinfo: 0 the claims were printed, 1 the token was refused (explained).`;
