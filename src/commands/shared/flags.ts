import { AUTH_METHODS } from "../../oauth/client-auth.js";
import { DPOP_ALGS } from "../../oauth/dpop.js";
import { OUTPUT_MODES } from "../../output/format.js";
import { groupFlags } from "./help.js";
import type { FlagTable } from "./flag-table.js";
import type { Requirement } from "./required.js";

/**
 * Flags every command that talks to a token endpoint shares, declared once. A command's own
 * table spreads these in, so its options type (OptionsOf) has them too.
 */
export const ENDPOINT_FLAGS = {
  issuer: { value: "<url>", description: "issuer URL; endpoints come from its discovery document (RFC 8414, then OpenID)" },
  tokenEndpoint: { value: "<url>", description: "token endpoint URL (skips discovery)" },
} as const satisfies FlagTable;

export const CLIENT_FLAGS = {
  clientId: { value: "<id>", description: "client id (env OAUTH_CLIENT_ID)" },
  clientSecretFile: { value: "<path>", description: "read the client secret from a file (- for standard input)" },
  clientSecret: {
    value: "<value>",
    secret: { env: "OAUTH_CLIENT_SECRET", file: "--client-secret-file" },
    description: "client secret; - reads standard input. Prefer env OAUTH_CLIENT_SECRET: a value here is visible to other local users",
  },
  authMethod: {
    value: "<method>",
    choices: AUTH_METHODS,
    description: "how the client authenticates (default: with discovery, the first the server supports that the given secret, key or certificate allows; else private_key_jwt with --private-key, tls_client_auth with --cert, basic with a secret, none)",
  },
  privateKey: { value: "<path>", description: "private_key_jwt: the client's private key (PEM or JWK; RSA, EC, Ed25519). An encrypted PEM key's passphrase comes from env OAUTH_KEY_PASSPHRASE, or a prompt on a terminal" },
  keyId: { value: "<kid>", description: "private_key_jwt: the kid put in the assertion's header (default: the JWK's kid, else none)" },
  signingAlg: { value: "<alg>", description: "private_key_jwt/client_secret_jwt: the assertion's algorithm (default: the key's, preferring one in the server's token_endpoint_auth_signing_alg_values_supported; HS256 for a secret)" },
  assertionAudience: { value: "<aud>", description: "the assertion's aud: token-endpoint (default), issuer, or a URL" },
  cert: { value: "<path>", description: "tls_client_auth/self_signed_tls_client_auth: the client certificate (PEM), sent in the TLS handshake (RFC 8705)" },
  key: { value: "<path>", description: "with --cert: its private key (PEM; an encrypted one's passphrase from env OAUTH_KEY_PASSPHRASE or a prompt on a terminal)" },
  bodyFormat: { value: "<format>", choices: ["form", "json"], description: "token request body encoding (default: form)" },
} as const satisfies FlagTable;

/** Sender-constrained tokens (RFC 9449), on every token command; resolved with the client (resolve.ts). */
export const DPOP_FLAGS = {
  dpop: { description: "bind the tokens to a key with DPoP proofs (RFC 9449); a new ES256 key unless --dpop-key" },
  dpopKey: { value: "<path>", description: "DPoP proof key to use (implies --dpop): a private JWK or PEM; created (0600) when the file does not exist" },
  dpopAlg: { value: "<alg>", choices: DPOP_ALGS, description: "with --dpop: the algorithm of a new key (default ES256)" },
} as const satisfies FlagTable;

export const REQUEST_FLAGS = {
  // "" asks for no scope at all (authorize then neither asks nor defaults to openid).
  scope: { value: "<scopes>", allowEmpty: true, description: 'space-separated scopes, e.g. "openid profile"' },
  param: { value: "<name=value>", repeatable: true, description: "extra request parameter, repeatable (audience, resource, …)" },
  header: { value: "<Name: value>", repeatable: true, description: "extra request header, repeatable" },
  resource: { value: "<uri>", repeatable: true, description: "RFC 8707 resource indicator: the API the token is for (an absolute URI), repeatable" },
} as const satisfies FlagTable;

export const OUTPUT_FLAGS = {
  output: { short: "-o", value: "<format>", choices: OUTPUT_MODES, description: "output format (default: pretty on a terminal, json otherwise)" },
  json: { description: "same as --output json" },
  verbose: { short: "-v", description: "print every HTTP exchange on stderr, secrets redacted" },
  showSecrets: { description: "with --verbose: do not redact secrets" },
  timeout: { value: "<seconds>", default: "30", description: "time limit per request" },
  caFile: { value: "<path>", description: "extra CA certificates (PEM) to trust, on top of the system's and NODE_EXTRA_CA_CERTS" },
} as const satisfies FlagTable;

export const CONFIG_FLAG = {
  config: { value: "<path>", description: "config file (default: $XDG_CONFIG_HOME/oauth-cli/config.json, else ~/.config/oauth-cli/config.json)" },
} as const satisfies FlagTable;

export const PROFILE_FLAGS = {
  profile: { value: "<name>", description: "take settings from this profile (env OAUTH_PROFILE); flags override it" },
  ...CONFIG_FLAG,
} as const satisfies FlagTable;

/** Everything a token-endpoint command shares, in --help order. */
export const TOKEN_COMMAND_FLAGS = { ...ENDPOINT_FLAGS, ...CLIENT_FLAGS, ...DPOP_FLAGS, ...REQUEST_FLAGS, ...OUTPUT_FLAGS, ...PROFILE_FLAGS } as const;

export const STORE_FLAGS = {
  store: { value: "<path>", description: "keep the token set in this file (0600; atomic writes; locked against concurrent runs)" },
  lockTimeout: { value: "<seconds>", description: "with --store: how long to wait for another run's lock (default 60; then exit 3)" },
} as const satisfies FlagTable;

/** For the commands that can answer from the store without a request. */
export const CACHE_FLAGS = {
  minTtl: { value: "<seconds>", description: "with --store: reuse the stored access token while it has this much life left (default 60)" },
  force: { description: "with --store: get a new token even if the stored one is still valid" },
} as const satisfies FlagTable;

/** An endpoint to send to: given, or found by discovery. */
export const NEEDS_ENDPOINT: Requirement<{ tokenEndpoint?: string; issuer?: string }> = {
  flag: "--token-endpoint URL or --issuer URL",
  met: (opts) => opts.tokenEndpoint !== undefined || opts.issuer !== undefined,
};

export const NEEDS_CLIENT_ID: Requirement<{ clientId?: string }> = {
  flag: "--client-id ID (or OAUTH_CLIENT_ID)",
  met: (opts, env) => opts.clientId !== undefined || !!env.OAUTH_CLIENT_ID,
};

// The headings these flags are listed under in every command's --help (after its own flags).
groupFlags("Endpoint options:", ENDPOINT_FLAGS);
groupFlags("Client options:", CLIENT_FLAGS);
groupFlags("Request options:", REQUEST_FLAGS);
groupFlags("Output options:", OUTPUT_FLAGS);
groupFlags("Token store options:", { ...STORE_FLAGS, ...CACHE_FLAGS });
groupFlags("Profile options:", PROFILE_FLAGS);
