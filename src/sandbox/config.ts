import { generateKeyPairSync, randomBytes, randomUUID, X509Certificate } from "node:crypto";
import type { Configuration } from "oidc-provider";
import { DPOP_NONCE_CLIENT, providerClients, sandboxClients } from "./clients.js";
import { CLIENT_CERT_HEADER, CLIENT_CERT_VERIFIED_HEADER } from "./front.js";
import { successSource, userCodeConfirmSource, userCodeInputSource } from "./device-pages.js";
import { createAdapter, type SandboxStore } from "./file-adapter.js";
import { exchangeTokenClaims, type ProviderErrors, resourceIndicators } from "./token-exchange.js";
import type { SandboxOptions } from "./types.js";

export const SANDBOX_SCOPES = ["openid", "profile", "email", "offline_access", "api:read", "api:write"];

/** Default lifetimes in seconds. */
export const DEFAULT_TTLS = { code: 60, accessToken: 3600, refreshToken: 86_400, deviceCode: 600 } as const;

interface ClientLike {
  clientAuthMethod: string;
  grantTypeAllowed(type: string): boolean;
}

/** Builds oidc-provider's configuration for one sandbox. */
export function buildConfiguration(options: SandboxOptions, store: SandboxStore, errors: ProviderErrors): Configuration {
  const code = options.codeTtl ?? DEFAULT_TTLS.code;
  const accessToken = options.accessTokenTtl ?? DEFAULT_TTLS.accessToken;
  const refreshToken = options.refreshTokenTtl ?? DEFAULT_TTLS.refreshToken;
  const requirePkce = options.requirePkce ?? true;

  return {
    adapter: createAdapter(store),
    clients: providerClients(sandboxClients(options), options),
    // Every client authentication method oidc-provider knows; the mutual-TLS ones only over TLS.
    clientAuthMethods: [
      "none", "client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt",
      ...(options.tls ? ["tls_client_auth", "self_signed_tls_client_auth"] : []),
    ],
    jwks: signingKeys(store),
    // A local debugging server: fixed keys so sessions survive a restart with stateFile.
    cookies: { keys: ["oauth-cli-sandbox-cookie-key"] },
    scopes: SANDBOX_SCOPES,
    claims: {
      openid: ["sub"],
      profile: ["name", "preferred_username"],
      email: ["email", "email_verified"],
    },
    findAccount: (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: () => ({ sub, name: sub, preferred_username: sub, email: `${sub}@sandbox.test`, email_verified: true }),
    }),
    // RFC 9207 `iss` in authorization responses: always on in oidc-provider 9 (no issAuthResp flag).
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: { enabled: true, allowedPolicy: introspectionAllowed },
      revocation: { enabled: true, allowedPolicy: revocationAllowed },
      userinfo: { enabled: true },
      // RFC 8628: /device/auth, and the user code pages at /device.
      deviceFlow: { enabled: true, userCodeInputSource, userCodeConfirmSource, successSource },
      // RFC 9449; nonces only for the client made to exercise them (§8), and at the userinfo endpoint, a
      // resource whose proofs come before the token's client is known, for every DPoP-bound token (§9).
      dPoP: {
        enabled: true,
        nonceSecret: randomBytes(32),
        requireNonce: (ctx: { oidc?: { route?: string; client?: { clientId: string } } }) => ctx.oidc?.route === "userinfo" || ctx.oidc?.client?.clientId === DPOP_NONCE_CLIENT,
      },
      // RFC 9126; required per client (sandbox-par), so discovery does not say it for all.
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: options.requirePar ?? false },
      // RFC 8707: `resource` picks one of the sandbox's APIs; its access token is a JWT with that aud.
      resourceIndicators: resourceIndicators(errors),
      ...(options.tls && { mTLS: mtlsFeature() }),
    },
    pkce: {
      required: (_ctx: unknown, client: ClientLike) => requirePkce === "all" || (requirePkce && client.clientAuthMethod === "none"),
    },
    // Always a refresh token for clients allowed the grant: no offline_access + prompt=consent dance.
    // withoutRefreshGrant: still issued to the clients that had the grant (see sandboxClients).
    issueRefreshToken: async (_ctx: unknown, client: ClientLike) =>
      client.grantTypeAllowed("refresh_token") || (options.withoutRefreshGrant === true && client.grantTypeAllowed("authorization_code")),
    rotateRefreshToken: options.rotateRefreshTokens ?? true,
    ttl: {
      AuthorizationCode: code,
      AccessToken: accessToken,
      ClientCredentials: accessToken,
      IdToken: accessToken,
      RefreshToken: refreshToken,
      Grant: Math.max(refreshToken, accessToken),
      Interaction: 3600,
      DeviceCode: options.deviceCodeTtl ?? DEFAULT_TTLS.deviceCode,
      Session: Math.max(refreshToken, 86_400),
    },
    // The sandbox's own error page: oidc-provider's default one prints a "you SHOULD change it"
    // notice on stdout (console.info) the first time it renders, in the middle of the CLI's output.
    renderError: async (ctx: { type: string; body: unknown }, out: Record<string, unknown>) => {
      ctx.type = "html";
      ctx.body = errorPage(out);
    },
    // The act claim (and whose token was exchanged) in tokens the token exchange grant issues.
    extraTokenClaims: exchangeTokenClaims,
    // Tokens outlive the browser session (default: only with offline_access), like most real providers.
    expiresWithSession: async () => false,
  };
}

interface HeaderContext {
  get(name: string): string;
}

/**
 * RFC 8705 client authentication from what the front saw in the TLS handshake.
 * @see https://www.rfc-editor.org/rfc/rfc8705#section-2
 */
function mtlsFeature(): Record<string, unknown> {
  const certificate = (ctx: HeaderContext) => {
    const value = ctx.get(CLIENT_CERT_HEADER);
    return value ? decodeURIComponent(value) : undefined;
  };
  return {
    enabled: true,
    tlsClientAuth: true,
    selfSignedTlsClientAuth: true,
    getCertificate: certificate,
    certificateAuthorized: (ctx: HeaderContext) => ctx.get(CLIENT_CERT_VERIFIED_HEADER) === "1",
    certificateSubjectMatches: (ctx: HeaderContext, property: string, expected: string) => {
      const pem = certificate(ctx);
      if (!pem || property !== "tls_client_auth_subject_dn") return false;
      return new X509Certificate(pem).subject.split("\n").join(",") === expected;
    },
  };
}

/**
 * Confidential clients may introspect any token (tests use it to prove a token is live);
 * the public client only its own.
 */
async function introspectionAllowed(
  ctx: { oidc: { client: { clientId: string } } },
  client: ClientLike,
  token: { clientId?: string },
): Promise<boolean> {
  return client.clientAuthMethod !== "none" || token.clientId === ctx.oidc.client.clientId;
}

/**
 * The same rule for revocation (RFC 7009 §2.1 leaves it to the server): a confidential client
 * may revoke any token (a CI job's leaked token, from the operator's client), the public client
 * only its own (oidc-provider's default refuses a confidential client another client's token).
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1
 */
async function revocationAllowed(
  ctx: { oidc: { client: { clientId: string } } },
  client: ClientLike,
  token: { clientId?: string },
): Promise<boolean> {
  return client.clientAuthMethod !== "none" || token.clientId === ctx.oidc.client.clientId;
}

/**
 * One new key per process: an RSA key takes 0.1–0.5 s of CPU to make, a process normally runs one
 * sandbox, and the test suite starts dozens of them.
 */
let processKey: Record<string, unknown> | undefined;

/** An RS256 signing key, kept in the state file so ID tokens stay verifiable across restarts. */
function signingKeys(store: SandboxStore): { keys: Record<string, unknown>[] } {
  if (store.jwks) return store.jwks;
  processKey ??= newSigningKey();
  const jwks = { keys: [{ ...processKey }] };
  store.jwks = jwks;
  return jwks;
}

/** The authorization endpoint's error page (an unregistered redirect_uri, an unknown client…): error, description, state. */
function errorPage(out: Record<string, unknown>): string {
  const escape = (v: unknown) => String(v).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const rows = Object.entries(out).map(([key, value]) => `<pre><strong>${escape(key)}</strong>: ${escape(value)}</pre>`).join("");
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>oauth-cli sandbox: the request was refused</title></head><body><h1>The sandbox refused this request</h1>${rows}</body></html>`;
}

function newSigningKey(): Record<string, unknown> {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = privateKey.export({ format: "jwk" }) as Record<string, unknown>;
  return { ...jwk, kid: randomUUID(), use: "sig", alg: "RS256" };
}
