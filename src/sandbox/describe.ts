import type { Style } from "../output/style.js";
import type { SandboxClient, SandboxOptions } from "./types.js";

/** The fixed default port of `oauth-cli sandbox`: unassigned in /etc/services and unused by common dev tools. */
export const DEFAULT_SANDBOX_PORT = 8933;

/** What `oauth-cli sandbox` prints: where it is, who may use it, and what to paste to try each command. */
export interface SandboxDescription {
  readonly issuer: string;
  readonly port: number;
  readonly clients: readonly SandboxClient[];
  /** Ready-to-paste command lines, one per flow. */
  readonly commands: Readonly<Record<"authorize" | "exchange" | "refresh" | "clientCredentials" | "decodeError" | "device" | "tokenExchange" | TokenLifeCommand, string>>;
  /** The endpoints beyond authorization and token that the sandbox serves (also in its discovery document). */
  readonly endpoints: Readonly<Record<"introspection" | "revocation" | "userinfo", string>>;
  /** The knobs in effect, as given (absent = the server's default). */
  readonly settings: Readonly<SandboxOptions>;
}

/** What a newcomer does with a token once they have one. */
type TokenLifeCommand = "introspect" | "revoke" | "userinfo" | "request";

/** The command lines a newcomer pastes next; secrets are the sandbox's throwaway ones. */
export function describeSandbox(issuer: string, port: number, clients: readonly SandboxClient[], settings: SandboxOptions): SandboxDescription {
  const basic = clients.find((c) => c.token_endpoint_auth_method === "client_secret_basic");
  const json = settings.requireJsonBody ? " --body-format json" : "";
  return {
    issuer,
    port,
    clients,
    settings,
    // oidc-provider's default routes (lib/helpers/defaults.js), as its discovery document lists them.
    endpoints: { introspection: `${issuer}/token/introspection`, revocation: `${issuer}/token/revocation`, userinfo: `${issuer}/me` },
    commands: {
      authorize: `oauth-cli authorize --issuer ${issuer} --client-id sandbox-public --scope "openid profile email"${json}`,
      exchange: `oauth-cli exchange --issuer ${issuer} --client-id sandbox-public --code CODE --redirect-uri http://127.0.0.1:PORT/callback --code-verifier VERIFIER${json}`,
      refresh: `OAUTH_REFRESH_TOKEN=… oauth-cli refresh --issuer ${issuer} --client-id sandbox-public${json}`,
      clientCredentials: `OAUTH_CLIENT_SECRET=${basic?.client_secret ?? "sandbox-basic-secret"} oauth-cli client-credentials --issuer ${issuer} --client-id ${basic?.client_id ?? "sandbox-basic"} --scope api:read${json}`,
      decodeError: `oauth-cli decode-error '{"error":"invalid_grant","error_description":"grant request is invalid (authorization code is expired)"}'`,
      device: `oauth-cli device --issuer ${issuer} --client-id sandbox-device --scope "openid profile offline_access"${json}`,
      tokenExchange: `OAUTH_CLIENT_SECRET=sandbox-exchange-secret oauth-cli token-exchange --issuer ${issuer} --client-id sandbox-exchange --subject-token - --subject-token-type access_token --audience https://api.sandbox.test${json}`,
      introspect: `OAUTH_CLIENT_SECRET=${basic?.client_secret ?? "sandbox-basic-secret"} oauth-cli introspect --issuer ${issuer} --client-id ${basic?.client_id ?? "sandbox-basic"} --token -`,
      revoke: `oauth-cli revoke --store tokens.json`,
      userinfo: `oauth-cli userinfo --store tokens.json`,
      request: `oauth-cli request ${issuer}/me --store tokens.json`,
    },
  };
}

/** One JSON line, for scripts that wait for the server to be ready. */
export function formatSandboxJson(d: SandboxDescription): string {
  const clients = d.clients.map((c) => ({ client_id: c.client_id, client_secret: c.client_secret, token_endpoint_auth_method: c.token_endpoint_auth_method, description: c.description }));
  return `${JSON.stringify({ issuer: d.issuer, port: d.port, clients, endpoints: d.endpoints, commands: d.commands, settings: withoutLogger(d.settings) })}\n`;
}

/** The human banner. */
export function formatSandboxText(d: SandboxDescription, style: Style): string {
  const lines = [
    style.bold("oauth-cli sandbox") + " — a real OpenID Connect provider (oidc-provider) for trying oauth-cli",
    `${style.bold("issuer")}  ${style.cyan(d.issuer)}`,
    "",
    style.bold("Clients"),
    ...d.clients.map((c) => `  ${c.client_id.padEnd(15)} ${(c.client_secret ? `secret ${c.client_secret}` : "no secret").padEnd(29)} ${c.token_endpoint_auth_method}`),
    style.dim("  (throwaway secrets of a local sandbox; redirect URIs: http://127.0.0.1:ANY-PORT/callback, localhost and [::1] too)"),
    style.dim(d.settings.autoLogin ? `  login: automatic as "${d.settings.autoLogin}", no pages` : "  login: any user name and password on the sandbox's page"),
  ];
  const knobs = describeKnobs(d.settings);
  if (knobs.length) lines.push("", style.bold("Knobs"), ...knobs.map((k) => `  ${k}`));
  lines.push("", style.bold("Try"));
  const titled: [string, string][] = [
    ["sign in in the browser, PKCE, get tokens", d.commands.authorize],
    ["redeem a code yourself", d.commands.exchange],
    ["refresh (the sandbox rotates refresh tokens)", d.commands.refresh],
    ["a token for the client itself", d.commands.clientCredentials],
    ["sign in on another device with a user code (device flow)", d.commands.device],
    ["trade an access token (on standard input) for one for an API: token exchange", d.commands.tokenExchange],
    ["explain an error", d.commands.decodeError],
    ["is a token live? (paste it on standard input)", d.commands.introspect],
    ["with tokens from authorize --store tokens.json: who am I, call an API, then revoke", `${d.commands.userinfo}; ${d.commands.request}; ${d.commands.revoke}`],
  ];
  for (const [title, command] of titled) lines.push(style.dim(`  # ${title}`), `  ${command}`);
  return `${lines.join("\n")}\n`;
}

/** The knobs that differ from the defaults, in words. */
function describeKnobs(s: SandboxOptions): string[] {
  const out: string[] = [];
  if (s.codeTtl !== undefined) out.push(`authorization codes expire after ${s.codeTtl} s`);
  if (s.accessTokenTtl !== undefined) out.push(`access tokens expire after ${s.accessTokenTtl} s`);
  if (s.refreshTokenTtl !== undefined) out.push(`refresh tokens expire after ${s.refreshTokenTtl} s`);
  if (s.deviceCodeTtl !== undefined) out.push(`device codes (device flow) expire after ${s.deviceCodeTtl} s`);
  if (s.devicePollInterval !== undefined) out.push(`device flow: polling interval ${s.devicePollInterval} s; a poll sooner than that gets slow_down`);
  if (s.rotateRefreshTokens === false) out.push("refresh tokens are not rotated (one token works many times)");
  if (s.requirePkce === "all") out.push("PKCE required for every client");
  if (s.requirePkce === false) out.push("PKCE optional for every client");
  if (s.localhostRedirectOnly) out.push("redirect URIs registered with localhost only (127.0.0.1 is refused)");
  if (s.withoutRefreshGrant) out.push("no client has the refresh_token grant (refreshing is refused)");
  if (s.requireJsonBody) out.push('token endpoint accepts only JSON bodies (a form body gets "Must be json")');
  if (s.legacyEnvelope) out.push('token endpoint answers in the legacy {"success":…, "data":…} envelope');
  if (s.arrayDescriptions) out.push("error_description is an array of strings");
  if (s.clockSkew) out.push(`the server's clock is off by ${s.clockSkew} s`);
  if (s.stateFile) out.push(`state kept in ${s.stateFile}`);
  return out;
}

function withoutLogger(s: SandboxOptions): Omit<SandboxOptions, "logger"> {
  const { logger: _logger, ...rest } = s;
  return rest;
}
