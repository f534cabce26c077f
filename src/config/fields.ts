import { REDIRECT_HOSTS } from "../loopback/host.js";
import { AUTH_METHODS } from "../oauth/client-auth.js";

/**
 * What a profile may hold, as data: the key in config.json (the flag's name), the command options
 * it fills, and how a value is checked. Pure data so the command tree can use it without loading
 * the config code. No secret is here, on purpose: secrets come from env, a file or stdin.
 */
export interface ProfileField {
  readonly key: string;
  readonly description: string;
  /** commander attribute names this value fills (authorize calls the redirect port --port). */
  readonly targets: readonly string[];
  readonly kind: "url" | "text" | "port" | "path" | "choice";
  readonly choices?: readonly string[];
}

export const PROFILE_FIELDS: readonly ProfileField[] = [
  { key: "issuer", description: "issuer URL (endpoints by discovery)", targets: ["issuer"], kind: "url" },
  { key: "token-endpoint", description: "token endpoint URL", targets: ["tokenEndpoint"], kind: "url" },
  { key: "authorization-endpoint", description: "authorization endpoint URL", targets: ["authorizationEndpoint"], kind: "url" },
  { key: "client-id", description: "client id", targets: ["clientId"], kind: "text" },
  { key: "scope", description: "space-separated scopes", targets: ["scope"], kind: "text" },
  {
    key: "auth-method",
    description: "client authentication method",
    targets: ["authMethod"],
    kind: "choice",
    choices: AUTH_METHODS,
  },
  // Where the client's key and certificate are, never what is in them: the key files stay 0600 on their own.
  { key: "private-key", description: "private_key_jwt: the client's private key file (PEM or JWK)", targets: ["privateKey"], kind: "path" },
  { key: "key-id", description: "private_key_jwt: the kid of the assertion's header", targets: ["keyId"], kind: "text" },
  { key: "signing-alg", description: "the client assertion's signing algorithm", targets: ["signingAlg"], kind: "text" },
  { key: "assertion-audience", description: "the client assertion's aud: token-endpoint, issuer or a URL", targets: ["assertionAudience"], kind: "text" },
  { key: "cert", description: "mutual TLS: the client certificate file (PEM)", targets: ["cert"], kind: "path" },
  { key: "key", description: "mutual TLS: the certificate's private key file (PEM)", targets: ["key"], kind: "path" },
  { key: "body-format", description: "token request body encoding", targets: ["bodyFormat"], kind: "choice", choices: ["form", "json"] },
  { key: "redirect-host", description: "host in the loopback redirect URI", targets: ["redirectHost"], kind: "choice", choices: REDIRECT_HOSTS },
  { key: "redirect-port", description: "loopback port for the redirect", targets: ["port", "redirectPort"], kind: "port" },
  { key: "redirect-path", description: "callback path of the redirect URI", targets: ["redirectPath"], kind: "text" },
  { key: "redirect-uri", description: "the redirect_uri to send", targets: ["redirectUri"], kind: "url" },
  { key: "store", description: "token store file (see --store)", targets: ["store"], kind: "path" },
];

/** Flags `profile set` refuses: a secret never goes into the config file. */
export const SECRET_FLAGS = ["clientSecret", "clientSecretFile", "refreshToken"] as const;

/** `client-id` → `clientId`, as commander names option attributes. */
export function attributeOf(key: string): string {
  return key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
