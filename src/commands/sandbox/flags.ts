import { type CommandHelp, exitCodes, SUCCESS, USAGE } from "../shared/help.js";
import type { FlagTable, OptionsOf } from "../shared/flag-table.js";

/** Each knob names the provider behaviour it reproduces, so a user can match it to theirs. */
export const SANDBOX_FLAGS = {
  port: { value: "<n>", description: "port to listen on (default 8933; when that is taken, any free port, with a note)" },
  host: { value: "<address>", description: "loopback address to listen on: 127.0.0.1 (default), ::1 or localhost; nothing else" },
  codeTtl: { value: "<seconds>", description: "authorization code lifetime (default 60): reproduces invalid_grant for an expired code" },
  accessTokenTtl: { value: "<seconds>", description: "access token lifetime (default 3600): reproduces invalid_token at userinfo/introspection" },
  refreshTokenTtl: { value: "<seconds>", description: "refresh token lifetime (default 86400): reproduces invalid_grant for an expired refresh token" },
  deviceCodeTtl: { value: "<seconds>", description: "device code lifetime (default 600): reproduces expired_token in the device flow" },
  devicePollInterval: { value: "<seconds>", description: "device flow: send this polling interval and answer a poll that comes sooner with slow_down (5 s more each time), as strict servers do" },
  rotateRefreshTokens: {
    value: "<on|off>",
    choices: ["on", "off"],
    description: "on (default): each refresh returns a new refresh token and reusing an old one revokes the grant (invalid_grant); off: one refresh token works many times",
  },
  requirePkce: { description: "PKCE for every client, confidential ones too (default: the public client only): reproduces OAuth 2.1 servers refusing requests without code_challenge" },
  localhostRedirectOnly: { description: "redirect URIs registered with localhost only: reproduces a client sending http://127.0.0.1:PORT/callback refused as an unregistered redirect_uri (fixed by --redirect-host localhost)" },
  withoutRefreshGrant: { description: "no client has the refresh_token grant (refresh tokens are still issued, as when the grant was turned off later): reproduces a refresh refused for the client" },
  requireJsonBody: { description: 'a JSON-only token endpoint: a form body gets "Must be json"; fixed by --body-format json' },
  legacyEnvelope: { description: 'the token endpoint answers in a legacy envelope, {"success":…,"data":{…}} / {"success":false,"errorMessage":…}: tests the legacy-format parsing' },
  arrayDescriptions: { description: "error_description as an array of strings, as some providers send it" },
  clockSkew: { value: "<seconds>", description: "the server's clock is off by this much (Date header, iat/exp): reproduces token times that look wrong" },
  autoLogin: { value: "<user>", description: "log in and consent as USER with no pages at all, for machines without a browser" },
  stateFile: { value: "<path>", description: "keep codes, tokens, grants and keys in this file across restarts (default: memory only)" },
  clientJwks: { value: "<path>", description: "a public JWK Set (from `oauth-cli keys generate`) registered for sandbox-jwt (private_key_jwt); with x5c certificates and --tls-cert, for sandbox-mtls-self too" },
  tlsCert: { value: "<path>", description: "serve HTTPS with this certificate (PEM), asking clients for certificates (mutual TLS, RFC 8705); needs --tls-key" },
  tlsKey: { value: "<path>", description: "with --tls-cert: its private key (PEM, unencrypted)" },
  clientCa: { value: "<path>", description: "with --tls-cert: the CA (PEM) whose certificates with subject CN=sandbox-mtls authenticate sandbox-mtls (tls_client_auth)" },
  json: { description: "print the issuer, clients and commands as one JSON line (for scripts waiting for it)" },
  quiet: { short: "-q", description: "do not log each request on stderr" },
} as const satisfies FlagTable;

export type SandboxCommandOptions = OptionsOf<typeof SANDBOX_FLAGS>;

export const SANDBOX_HELP: CommandHelp = {
  purpose: "run a real local authorization server to try oauth-cli against, and to reproduce errors",
  examples: [
    "oauth-cli sandbox --auto-login alice --code-ttl 5",
    "oauth-cli sandbox --port 0 --json --quiet   # any free port; one JSON line with the issuer and clients for a script",
    "oauth-cli sandbox --rotate-refresh-tokens off --state-file ~/.cache/oauth-cli/sandbox.json",
  ],
  exitCodes: exitCodes(
    SUCCESS("stopped by Ctrl-C or SIGTERM (stopping is how a server ends)"),
    USAGE("bad flags, the port is in use, or the address is not loopback"),
  ),
};
