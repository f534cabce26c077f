import { type CommandHelp, exitCodes, SUCCESS, USAGE } from "../shared/help.js";
import type { FlagTable, OptionsOf } from "../shared/flag-table.js";
import { ENDPOINT_FLAGS, OUTPUT_FLAGS, PROFILE_FLAGS, REQUEST_FLAGS } from "../shared/flags.js";
import { ACCESS_TOKEN_FLAGS } from "../shared/stored-access.js";
import type { Requirement } from "../shared/required.js";
import type { EndpointKind } from "../shared/server-endpoint.js";

export const USERINFO_FLAGS = {
  issuer: ENDPOINT_FLAGS.issuer,
  userinfoEndpoint: { value: "<url>", description: "userinfo endpoint URL (skips discovery)" },
  ...ACCESS_TOKEN_FLAGS,
  header: REQUEST_FLAGS.header,
  ...OUTPUT_FLAGS,
  ...PROFILE_FLAGS,
} as const satisfies FlagTable;

export type UserinfoOptions = OptionsOf<typeof USERINFO_FLAGS>;

/** A token (given, or a store's) and an endpoint (given, by discovery, or the store's issuer's): named together when missing. */
export const USERINFO_REQUIREMENTS: readonly Requirement<UserinfoOptions>[] = [
  { flag: "--access-token TOKEN (or OAUTH_ACCESS_TOKEN, or --access-token - for standard input), or --store PATH", met: (o, env) => o.accessToken !== undefined || !!env.OAUTH_ACCESS_TOKEN || o.store !== undefined },
  { flag: "--userinfo-endpoint URL or --issuer URL", met: (o) => o.userinfoEndpoint !== undefined || o.issuer !== undefined || o.store !== undefined },
];

export const USERINFO: EndpointKind = { flag: "--userinfo-endpoint", field: "userinfo_endpoint", what: "an OpenID Connect userinfo endpoint" };

export const USERINFO_HELP: CommandHelp = {
  purpose: "show the claims the OpenID provider gives for an access token (userinfo)",
  about: `Asks the OpenID provider who the access token's user is (OpenID Connect Core §5.3). A refusal is
explained from its WWW-Authenticate challenge (invalid_token, insufficient_scope and the scope it needs).
A DPoP-bound token (a store's, with its key; or --access-token with --dpop-key) is sent as
Authorization: DPoP with a proof carrying its hash (RFC 9449 §7); use_dpop_nonce gets one retry.`,
  examples: [
    "oauth-cli userinfo --store tokens.json",
    'echo "$ACCESS_TOKEN" | oauth-cli userinfo --issuer https://id.example.com --access-token - -o json',
  ],
  exitCodes: exitCodes(
    SUCCESS("the claims were printed"),
    { code: 1, meaning: "the token was refused (explained)" },
    USAGE(),
    { code: 3, meaning: "network, TLS or timeout" },
    { code: 4, meaning: "protocol violation: unparseable or non-conforming response" },
    { code: 5, meaning: "refreshed tokens could not be saved (printed instead)" },
  ),
};
