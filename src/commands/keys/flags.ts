import type { FlagTable, OptionsOf } from "../shared/flag-table.js";

export const KEY_ALGS = ["ES256", "RS256", "EdDSA"] as const;

export const KEYS_GENERATE_FLAGS = {
  alg: { value: "<alg>", choices: KEY_ALGS, default: "ES256", description: "the key's signing algorithm: ES256 (EC P-256), RS256 (RSA 2048), EdDSA (Ed25519)" },
  out: { value: "<path>", description: "where to write the private key (created 0600; never overwrites). A name ending .json or .jwk gets a JWK with kid and alg, anything else PKCS#8 PEM" },
  kid: { value: "<kid>", description: "the key id (default: the key's JWK thumbprint, RFC 7638)" },
  print: { value: "<what>", choices: ["jwks", "jwk"], default: "jwks", description: "what goes to standard output: the public JWK Set (default) or the one public JWK" },
} as const satisfies FlagTable;

export type KeysGenerateOptions = OptionsOf<typeof KEYS_GENERATE_FLAGS>;

export const KEYS_GENERATE_HELP = `
Writes a new private key for private_key_jwt (RFC 7523) and prints its public half, to register
with the provider (as the client's jwks, or served at its jwks_uri). Then:
  oauth-cli client-credentials --issuer URL --client-id ID --private-key FILE --key-id KID

Exit codes:
  0    the key was written and its public JWK Set printed
  2    usage error: no --out, an unknown --alg, or a file already at --out`;
