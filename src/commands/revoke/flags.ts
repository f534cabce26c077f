import { type CommandHelp, exitCodes, SUCCESS, USAGE } from "../shared/help.js";
import type { FlagTable, OptionsOf } from "../shared/flag-table.js";
import { ENDPOINT_FLAGS, OUTPUT_FLAGS, PROFILE_FLAGS, REQUEST_FLAGS, STORE_FLAGS } from "../shared/flags.js";
import { CLIENT_AUTH_FLAGS, type EndpointKind } from "../shared/server-endpoint.js";

export const REVOKE_FLAGS = {
  issuer: ENDPOINT_FLAGS.issuer,
  revocationEndpoint: { value: "<url>", description: "revocation endpoint URL (skips discovery)" },
  token: { value: "<token>", secret: { env: "OAUTH_TOKEN" }, description: "the token to revoke (env OAUTH_TOKEN; - for standard input)" },
  tokenTypeHint: { value: "<type>", description: "access_token or refresh_token: which kind --token is, so the server looks there first" },
  store: { value: "<path>", description: "revoke the refresh and access tokens of this token store, then mark it revoked; the client comes from it too" },
  lockTimeout: STORE_FLAGS.lockTimeout,
  ...CLIENT_AUTH_FLAGS,
  header: REQUEST_FLAGS.header,
  ...OUTPUT_FLAGS,
  ...PROFILE_FLAGS,
} as const satisfies FlagTable;

export type RevokeOptions = OptionsOf<typeof REVOKE_FLAGS>;

export const REVOCATION: EndpointKind = { flag: "--revocation-endpoint", field: "revocation_endpoint", what: "token revocation (RFC 7009)" };

export const REVOKE_HELP: CommandHelp = {
  purpose: "revoke an access or refresh token, or a whole token store (RFC 7009)",
  about: `Tells the authorization server to drop a token (RFC 7009). Revoking a refresh token usually ends
the access tokens of the same grant too. The server answers 200 whether or not it knew the token.
The client authenticates as at the token endpoint: a JWT assertion (aud = the revocation endpoint,
a fresh one per request) or a client certificate (discovery's mtls_endpoint_aliases) too.`,
  examples: [
    "oauth-cli revoke --store tokens.json          # both stored tokens; refresh --store then refuses the store",
    'echo "$LEAKED" | OAUTH_CLIENT_SECRET=… oauth-cli revoke --issuer https://id.example.com --client-id ci --token - --token-type-hint refresh_token',
  ],
  exitCodes: exitCodes(
    SUCCESS("revoked (HTTP 200)"),
    { code: 1, meaning: "the server refused (e.g. unsupported_token_type, explained)" },
    USAGE(),
    { code: 3, meaning: "network, TLS or timeout, or the server cannot revoke right now (HTTP 503: try again)" },
    { code: 4, meaning: "protocol violation: unparseable or non-conforming response" },
  ),
};
