import { type CommandHelp, exitCodes, SUCCESS, USAGE } from "../shared/help.js";
import type { FlagTable, OptionsOf } from "../shared/flag-table.js";
import { ENDPOINT_FLAGS, OUTPUT_FLAGS, PROFILE_FLAGS, REQUEST_FLAGS } from "../shared/flags.js";
import { CLIENT_AUTH_FLAGS, type EndpointKind } from "../shared/server-endpoint.js";

export const INTROSPECT_FLAGS = {
  issuer: ENDPOINT_FLAGS.issuer,
  introspectionEndpoint: { value: "<url>", description: "introspection endpoint URL (skips discovery)" },
  token: { value: "<token>", secret: { env: "OAUTH_TOKEN" }, description: "the token to look up (env OAUTH_TOKEN; - for standard input)" },
  tokenTypeHint: { value: "<type>", description: "access_token or refresh_token: which kind the token is, so the server looks there first" },
  store: { value: "<path>", description: "look up the access token of this token store (with --token-type-hint refresh_token: its refresh token); the client comes from it too" },
  requireActive: { description: "exit 1 when the server says the token is not active" },
  ...CLIENT_AUTH_FLAGS,
  header: REQUEST_FLAGS.header,
  ...OUTPUT_FLAGS,
  ...PROFILE_FLAGS,
} as const satisfies FlagTable;

export type IntrospectOptions = OptionsOf<typeof INTROSPECT_FLAGS>;

export const INTROSPECTION: EndpointKind = { flag: "--introspection-endpoint", field: "introspection_endpoint", what: "token introspection (RFC 7662)" };


export const INTROSPECT_HELP: CommandHelp = {
  purpose: "ask the server whether a token is active, and what it knows about it (RFC 7662)",
  about: `Asks the authorization server whether a token is active, and what it knows about it (RFC 7662).
The client authenticates as at the token endpoint: most servers let only confidential clients ask.
A JWT assertion (--private-key, or --auth-method client_secret_jwt) has aud = the introspection
endpoint; a client certificate (--cert/--key) uses discovery's mtls_endpoint_aliases.`,
  examples: [
    'echo "$TOKEN" | OAUTH_CLIENT_SECRET=… oauth-cli introspect --issuer https://id.example.com --client-id api --token -',
    "oauth-cli introspect --store tokens.json --require-active -o json    # the stored access token",
    "oauth-cli introspect --store tokens.json --token-type-hint refresh_token",
    "oauth-cli introspect --issuer https://id.example.com --client-id api --private-key client.pem --token -",
  ],
  exitCodes: exitCodes(
    SUCCESS("the server answered (active or not)"),
    { code: 1, meaning: "an OAuth error (explained), or the token is not active with --require-active" },
    USAGE(),
    { code: 3, meaning: "network, TLS or timeout" },
    { code: 4, meaning: "protocol violation: unparseable or non-conforming response" },
  ),
};
