import { type CommandHelp, TOKEN_EXIT_CODES } from "../shared/help.js";
import type { FlagTable, OptionsOf } from "../shared/flag-table.js";
import { NEEDS_CLIENT_ID, NEEDS_ENDPOINT, STORE_FLAGS, TOKEN_COMMAND_FLAGS } from "../shared/flags.js";
import type { Requirement } from "../shared/required.js";

export const GRANT_FLAGS = {
  ...TOKEN_COMMAND_FLAGS,
  ...STORE_FLAGS,
  grantType: {
    value: "<urn-or-name>",
    description: "the grant_type to send: jwt-bearer, saml2-bearer, token-exchange, device-code (short for their URNs), password, or any URI or vendor name as given",
  },
  assertion: {
    value: "<token>",
    secret: { env: "OAUTH_ASSERTION" },
    description: "the assertion of an assertion grant (jwt-bearer, RFC 7523 §2.1; saml2-bearer) (env OAUTH_ASSERTION; - for standard input)",
  },
} as const satisfies FlagTable;

export type GrantOptions = OptionsOf<typeof GRANT_FLAGS>;

export const GRANT_REQUIRED: readonly Requirement<GrantOptions>[] = [
  { flag: "--grant-type URN_OR_NAME", met: (opts) => opts.grantType !== undefined },
  NEEDS_ENDPOINT,
  NEEDS_CLIENT_ID,
];

export const GRANT_HELP: CommandHelp = {
  purpose: "send any grant type: jwt-bearer (RFC 7523), a vendor's, or password for legacy debugging",
  about: `Every --param goes into the token request as given, with the same client authentication, -v trace
(secrets redacted), --store and error explanation as the other token commands.`,
  examples: [
    "oauth-cli grant --issuer https://id.example.com --client-id svc --grant-type jwt-bearer --assertion - < assertion.jwt\n    # JWT bearer assertion (RFC 7523 §2.1)",
    "oauth-cli grant --token-endpoint https://id.example.com/token --client-id app \\\n    --grant-type urn:example:grant-type:magic-link --param link_token=…   # a vendor's grant",
    "oauth-cli grant --issuer https://legacy.example.com --client-id app --grant-type password \\\n    --param username=alice --param password=-\n    # resource owner password (deprecated: RFC 9700 §2.4), for debugging a legacy server only; password=- reads standard input",
  ],
  exitCodes: TOKEN_EXIT_CODES,
};
