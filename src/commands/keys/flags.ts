import { type CommandHelp, exitCodes, SUCCESS, USAGE } from "../shared/help.js";
import type { FlagTable, OptionsOf } from "../shared/flag-table.js";

export const KEY_ALGS = ["ES256", "RS256", "EdDSA"] as const;

export const KEYS_GENERATE_FLAGS = {
  alg: { value: "<alg>", choices: KEY_ALGS, default: "ES256", description: "the key's signing algorithm: ES256 (EC P-256), RS256 (RSA 2048), EdDSA (Ed25519)" },
  out: { value: "<path>", description: "where to write the private key (created 0600; never overwrites). A name ending .json or .jwk gets a JWK with kid and alg, anything else PKCS#8 PEM" },
  kid: { value: "<kid>", description: "the key id (default: the key's JWK thumbprint, RFC 7638)" },
  print: { value: "<what>", choices: ["jwks", "jwk"], default: "jwks", description: "what goes to standard output: the public JWK Set (default) or the one public JWK" },
} as const satisfies FlagTable;

export type KeysGenerateOptions = OptionsOf<typeof KEYS_GENERATE_FLAGS>;

/** `keys`: what it is for, and how to go on from its output. */
export const KEYS_HELP: CommandHelp = {
  purpose: "make a client key pair for private_key_jwt: the private key to a file, the public JWK Set to register",
  about: `Writes a new private key for private_key_jwt (RFC 7523) and prints its public half, to register
with the provider (as the client's jwks, or served at its jwks_uri).`,
  examples: [
    "oauth-cli keys generate --alg ES256 --out client.pem > jwks.json   # register jwks.json with the provider",
    "oauth-cli client-credentials --issuer https://id.example.com --client-id svc --private-key client.pem --key-id KID",
    "oauth-cli keys generate --alg EdDSA --out client.jwk --print jwk",
  ],
  exitCodes: exitCodes(
    SUCCESS("the key was written and its public JWK Set printed"),
    USAGE("usage error: no --out, an unknown --alg or --print, or a file already at --out (never overwritten)"),
  ),
};

/** `keys generate`: the one subcommand, with the same exit codes. */
export const KEYS_GENERATE_HELP: CommandHelp = {
  ...KEYS_HELP,
  purpose: "write a new private key (0600) and print its public JWK Set to register with the provider",
};
