import { type CommandHelp, exitCodes, SUCCESS, USAGE } from "../shared/help.js";
import type { FlagTable, OptionsOf } from "../shared/flag-table.js";
import { OUTPUT_FLAGS } from "../shared/flags.js";

const { output: _tokenModes, ...TRANSPORT_AND_OUTPUT } = OUTPUT_FLAGS;

export const INSPECT_FLAGS = {
  store: { value: "<path>", description: "inspect the access token and ID token kept in this token store (its issuer and client id are checked too)" },
  issuer: { value: "<url>", description: "the token must come from this issuer (exact iss); its keys come from discovery (default: the token's own iss, not trusted)" },
  jwksUri: { value: "<url>", description: "verify with the JWK Set at this URL" },
  jwksFile: { value: "<path>", description: "verify with the JWK Set in this file" },
  secret: {
    value: "<value>",
    secret: { env: "OAUTH_JWT_SECRET", file: "--secret-file" },
    description: "verify an HMAC token (HS256/384/512) with this shared secret; - reads standard input. Prefer env OAUTH_JWT_SECRET",
  },
  secretFile: { value: "<path>", description: "read the HMAC secret from a file" },
  verify: { negate: true, description: "only decode: fetch no keys and skip the signature (the claims are still checked)" },
  clientId: { value: "<id>", description: "check it as this client's ID token: aud must contain it, azp match it (env OAUTH_CLIENT_ID)" },
  nonce: { value: "<value>", description: "the nonce the authorization request sent: the token's must match" },
  accessToken: { value: "<token>", secret: {}, description: "the access token issued with it: its at_hash must match; - reads standard input" },
  code: { value: "<code>", secret: {}, description: "the authorization code issued with it: its c_hash must match; - reads standard input" },
  clockTolerance: { value: "<seconds>", default: "30", description: "allowed clock difference for exp, nbf and iat" },
  output: { short: "-o", value: "<format>", choices: ["pretty", "json"], description: "output format (default: pretty on a terminal, json otherwise)" },
  ...TRANSPORT_AND_OUTPUT,
} as const satisfies FlagTable;

export type InspectOptions = OptionsOf<typeof INSPECT_FLAGS>;

export const INSPECT_HELP: CommandHelp = {
  purpose: "decode a JWT, verify its signature against the issuer's keys, and check its claims (ID tokens too)",
  about: `Prints a JWT's header and claims (times as dates, and "expires in 4 min"), verifies its signature
with jose against the issuer's keys, and checks its claims as OpenID Connect Core §3.1.3.7 asks.
An opaque (non-JWT) token cannot be read here: ask its server with \`oauth-cli introspect\`.
An encrypted JWT (JWE) is recognised and its header shown.`,
  examples: [
    "oauth-cli inspect eyJhbGciOi…                                    # keys from the token's iss",
    'oauth-cli inspect --issuer https://id.example.com --client-id app --nonce N "$ID_TOKEN"',
    "oauth-cli inspect --store ~/.cache/app-tokens.json",
    'echo "$TOKEN" | OAUTH_JWT_SECRET=… oauth-cli inspect - -o json',
  ],
  exitCodes: exitCodes(
    SUCCESS("the token is valid: signature verified and every check passed (a JWE: its header was read)"),
    { code: 1, meaning: "a check failed; each failure is one line naming the claim, what was expected and what it has" },
    USAGE("the input is not a JWT (an opaque token, or not a token at all), or bad flags"),
    { code: 3, meaning: "the issuer's discovery document or keys could not be fetched" },
    { code: 4, meaning: "the discovery document or the JWK Set is malformed" },
  ),
};
