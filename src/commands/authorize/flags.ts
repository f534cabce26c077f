import { type CommandHelp, TOKEN_EXIT_CODES } from "../shared/help.js";
import { REDIRECT_HOSTS } from "../../loopback/host.js";
import type { FlagTable, OptionsOf } from "../shared/flag-table.js";
import { NEEDS_CLIENT_ID, STORE_FLAGS, TOKEN_COMMAND_FLAGS } from "../shared/flags.js";
import type { Requirement } from "../shared/required.js";

export const AUTHORIZE_FLAGS = {
  ...TOKEN_COMMAND_FLAGS,
  ...STORE_FLAGS,
  authorizationEndpoint: { value: "<url>", description: "authorization endpoint URL (with --token-endpoint, skips discovery)" },
  pkce: { value: "<method>", choices: ["S256", "plain", "none"], default: "S256", description: "PKCE method; plain and none only when the server cannot do S256" },
  state: { value: "<value>", description: "a fixed state, for debugging (default: fresh and random every run)" },
  prompt: { value: "<value>", description: "prompt parameter: none, login, consent, select_account" },
  loginHint: { value: "<value>", description: "login_hint parameter (an e-mail or user name)" },
  responseMode: { value: "<mode>", description: "response_mode parameter: query (default), form_post, fragment (with --paste)" },
  port: { value: "<port>", description: "listen on this loopback port (default: a free ephemeral one)" },
  redirectPath: { value: "<path>", description: "the callback path (default: /callback)" },
  redirectHost: { value: "<host>", choices: REDIRECT_HOSTS, description: "host in the redirect URI; localhost listens on 127.0.0.1 and ::1 (default: 127.0.0.1)" },
  redirectUri: { value: "<uri>", description: "send this redirect_uri instead of the listener's (a registered one behind a forwarder); the listener still binds loopback" },
  wait: { value: "<seconds>", default: "300", description: "how long to wait for the redirect" },
  exchange: { negate: true, description: "print {code, state, code_verifier, redirect_uri, iss} as JSON instead of redeeming the code" },
  open: { negate: true, description: "do not open a browser; the URL is printed on stderr either way" },
  tokenParam: { value: "<name=value>", repeatable: true, description: "extra parameter for the code exchange (token request) only, repeatable; --param goes to the authorization request only" },
  resource: { value: "<uri>", repeatable: true, description: "RFC 8707 resource indicator, repeatable: sent in both the authorization request and the code exchange" },
  exchangeScope: { description: "repeat --scope in the code exchange too (providers that require scope in every token request)" },
  par: { description: "push the authorization request first (PAR, RFC 9126): the browser gets only client_id and request_uri; automatic when the server requires it" },
  parEndpoint: { value: "<url>", description: "pushed authorization request endpoint (implies --par; default: from discovery)" },
  paste: { description: "no listener: paste the URL the browser ends on (or the code) at a prompt, e.g. over SSH" },
} as const satisfies FlagTable;

export type AuthorizeOptions = OptionsOf<typeof AUTHORIZE_FLAGS>;

/** On a terminal a missing one is asked for instead (see prompt.ts). */
export const AUTHORIZE_REQUIRED: readonly Requirement<AuthorizeOptions>[] = [
  {
    flag: "--issuer URL (or --authorization-endpoint URL with --token-endpoint URL)",
    met: (opts) => opts.issuer !== undefined || (opts.authorizationEndpoint !== undefined && opts.tokenEndpoint !== undefined),
  },
  NEEDS_CLIENT_ID,
];

export const AUTHORIZE_HELP: CommandHelp = {
  purpose: "sign in through the browser: authorization code flow with PKCE and a loopback redirect",
  about: `With the openid scope, a fresh nonce is sent and the ID token that comes back is verified (signature
against the issuer's JWKS, iss, aud, azp, exp, iat, nonce, at_hash; OpenID Connect Core §3.1.3.7):
one that fails is neither saved nor printed, and the run exits 4 naming each failed check.`,
  examples: [
    'oauth-cli authorize --issuer https://id.example.com --client-id app --scope "openid profile"',
    "oauth-cli authorize --issuer https://id.example.com --client-id app --no-open --paste   # over SSH",
    "oauth-cli authorize --authorization-endpoint https://id.example.com/authorize --token-endpoint https://id.example.com/token \\\n    --client-id app --auth-method client_secret_post --body-format json --scope business_connect --exchange-scope",
    "oauth-cli authorize --issuer https://id.example.com --client-id app --par --dpop --store tokens.json\n    # pushed request (RFC 9126); tokens bound to a DPoP key (RFC 9449), kept with them in the store",
  ],
  exitCodes: TOKEN_EXIT_CODES,
  notes: `Where extra parameters go:
  --param NAME=VALUE        the authorization request only
  --token-param NAME=VALUE  the code exchange (token request) only
  --resource URI            both (RFC 8707); any other parameter for both: give it as --param and as --token-param
  --exchange-scope          the code exchange repeats --scope`,
};
