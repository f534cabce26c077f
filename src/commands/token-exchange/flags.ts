import { type CommandHelp, TOKEN_EXIT_CODES } from "../shared/help.js";
import type { FlagTable, OptionsOf } from "../shared/flag-table.js";
import { NEEDS_CLIENT_ID, NEEDS_ENDPOINT, STORE_FLAGS, TOKEN_COMMAND_FLAGS } from "../shared/flags.js";
import type { Requirement } from "../shared/required.js";

const TYPES = "access_token, refresh_token, id_token, jwt, saml1, saml2, or a URI";

export const TOKEN_EXCHANGE_FLAGS = {
  ...TOKEN_COMMAND_FLAGS,
  ...STORE_FLAGS,
  subjectToken: {
    value: "<token>",
    secret: { env: "OAUTH_SUBJECT_TOKEN" },
    description: "the token to exchange: whom the new token is about (env OAUTH_SUBJECT_TOKEN; - for standard input)",
  },
  subjectTokenType: { value: "<type>", description: `the subject token's type: ${TYPES}` },
  actorToken: {
    value: "<token>",
    secret: { env: "OAUTH_ACTOR_TOKEN" },
    description: "delegation: the token of the party acting for the subject (env OAUTH_ACTOR_TOKEN; - for standard input)",
  },
  actorTokenType: { value: "<type>", description: `the actor token's type (needed with --actor-token): ${TYPES}` },
  requestedTokenType: { value: "<type>", description: `the type of token wanted back: ${TYPES} (default: the server's choice)` },
  audience: { value: "<name>", repeatable: true, description: "a logical name of the service the token is for, repeatable (RFC 8693 §2.1)" },
} as const satisfies FlagTable;

export type TokenExchangeOptions = OptionsOf<typeof TOKEN_EXCHANGE_FLAGS>;

export const TOKEN_EXCHANGE_REQUIRED: readonly Requirement<TokenExchangeOptions>[] = [
  { flag: "--subject-token TOKEN (or OAUTH_SUBJECT_TOKEN, or --subject-token - to read it from standard input)", met: (opts, env) => opts.subjectToken !== undefined || !!env.OAUTH_SUBJECT_TOKEN },
  { flag: "--subject-token-type TYPE (access_token, id_token, jwt, … or a URI)", met: (opts) => opts.subjectTokenType !== undefined },
  NEEDS_ENDPOINT,
  NEEDS_CLIENT_ID,
];

export const TOKEN_EXCHANGE_HELP: CommandHelp = {
  purpose: "trade a token for another: other audience, resource or type, or delegation (RFC 8693)",
  about: `Token types (RFC 8693 §3): access_token, refresh_token, id_token, jwt, saml1 and saml2 stand for
urn:ietf:params:oauth:token-type:<name>; any other URI is sent as given. The answer's
issued_token_type is printed with the tokens.`,
  examples: [
    "OAUTH_CLIENT_SECRET=… oauth-cli token-exchange --issuer https://id.example.com --client-id gateway \\\n    --subject-token - --subject-token-type access_token --audience https://api.example.com < token.txt\n    # an access token for another API, from the one you hold",
    'OAUTH_SUBJECT_TOKEN="$USER_TOKEN" OAUTH_ACTOR_TOKEN="$SERVICE_TOKEN" oauth-cli token-exchange … \\\n    --subject-token-type access_token --actor-token-type access_token --resource https://api.example.com/orders\n    # delegation: a service acting for a user (the tokens from the environment, not the command line)',
  ],
  exitCodes: TOKEN_EXIT_CODES,
  notes: `An invalid_target answer means the server does not know (or will not issue for) that audience or
resource (RFC 8693 §2.2.2).`,
};
