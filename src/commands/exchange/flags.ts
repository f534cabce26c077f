import { type CommandHelp, TOKEN_EXIT_CODES } from "../shared/help.js";
import type { FlagTable, OptionsOf } from "../shared/flag-table.js";
import { NEEDS_CLIENT_ID, NEEDS_ENDPOINT, STORE_FLAGS, TOKEN_COMMAND_FLAGS } from "../shared/flags.js";
import type { Requirement } from "../shared/required.js";

export const EXCHANGE_FLAGS = {
  ...TOKEN_COMMAND_FLAGS,
  ...STORE_FLAGS,
  code: { value: "<code>", secret: {}, description: "the authorization code (- for standard input)" },
  redirectUri: { value: "<uri>", description: "the redirect_uri the authorization request used, byte for byte" },
  codeVerifier: { value: "<verifier>", secret: {}, description: "the PKCE code_verifier (- for standard input)" },
} as const satisfies FlagTable;

export type ExchangeOptions = OptionsOf<typeof EXCHANGE_FLAGS>;

export const EXCHANGE_REQUIRED: readonly Requirement<ExchangeOptions>[] = [
  { flag: "--code CODE (or --code - to read it from standard input)", met: (opts) => opts.code !== undefined },
  { flag: "--redirect-uri URI (the one the authorization request used)", met: (opts) => opts.redirectUri !== undefined },
  NEEDS_ENDPOINT,
  // A client that does not authenticate must still name itself with client_id (RFC 6749 §4.1.3),
  // and one that does needs its id for that: no exchange goes without one.
  NEEDS_CLIENT_ID,
];

export const EXCHANGE_HELP: CommandHelp = {
  purpose: "exchange an authorization code for tokens",
  examples: [
    "oauth-cli exchange --issuer https://id.example.com --client-id app --code - --redirect-uri http://127.0.0.1:8080/callback --code-verifier V",
    "oauth-cli authorize --issuer https://id.example.com --client-id app --no-exchange > code.json   # redeem it later with exchange",
  ],
  exitCodes: TOKEN_EXIT_CODES,
};
