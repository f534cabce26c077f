import type Provider from "oidc-provider";
import { TOKEN_EXCHANGE_GRANT_TYPE, TOKEN_EXCHANGE_PARAMETERS, TOKEN_TYPES } from "../oauth/token-exchange.js";

/** RFC 8693 §3: the token type URIs the sandbox takes and issues, the CLI's own (so the two cannot drift apart). */
const ACCESS_TOKEN_TYPE = TOKEN_TYPES.access_token!;
const JWT_TOKEN_TYPE = TOKEN_TYPES.jwt!;

/**
 * The APIs the sandbox issues audience-restricted JWT access tokens for (RFC 8707, RFC 9068).
 * Any other resource or audience is refused with invalid_target, as a real server would.
 */
export const SANDBOX_RESOURCES = ["https://api.sandbox.test", "https://other-api.sandbox.test"] as const;

export interface ProviderErrors {
  InvalidRequest: new (description: string) => Error;
  InvalidGrant: new (description: string) => Error;
  InvalidTarget: new (description?: string) => Error;
}

/** RFC 8707 in oidc-provider: a known resource gets a JWT access token whose `aud` is the resource. */
export function resourceIndicators(errors: ProviderErrors): Record<string, unknown> {
  return {
    enabled: true,
    getResourceServerInfo: async (_ctx: unknown, resource: string) => {
      if (!(SANDBOX_RESOURCES as readonly string[]).includes(resource)) {
        throw new errors.InvalidTarget(`unknown resource ${resource}; the sandbox knows ${SANDBOX_RESOURCES.join(", ")}`);
      }
      return resourceServerInfo(resource);
    },
  };
}

function resourceServerInfo(resource: string): Record<string, unknown> {
  return { scope: "api:read api:write", audience: resource, accessTokenFormat: "jwt", jwt: { sign: { alg: "RS256" } } };
}

/** Claims of the tokens this grant issues (oidc-provider recomputes `extra` on save, from extraTokenClaims). */
const EXCHANGE_CLAIMS = new WeakMap<object, Record<string, unknown>>();

/**
 * For oidc-provider's extraTokenClaims: whose token was exchanged, and the actor (RFC 8693 §4.1
 * `act`) in a token this grant issued; nothing for any other token.
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-4.1
 */
export async function exchangeTokenClaims(_ctx: unknown, token: object): Promise<Record<string, unknown> | undefined> {
  return EXCHANGE_CLAIMS.get(token);
}

interface ExchangeContext {
  oidc: {
    params: Record<string, string | undefined>;
    client: { clientId: string };
  };
  body?: unknown;
}

interface FoundToken {
  clientId?: string;
  accountId?: string;
  scope?: string;
  isExpired?: boolean;
}

interface TokenModels {
  AccessToken: { find(value: string): Promise<FoundToken | undefined> };
  ClientCredentials: { find(value: string): Promise<FoundToken | undefined> } & (new (init: Record<string, unknown>) => IssuedToken);
  ResourceServer: new (identifier: string, info: Record<string, unknown>) => { scopes: Set<string> };
}

interface IssuedToken {
  resourceServer?: unknown;
  scope?: string;
  extra?: Record<string, unknown>;
  expiration: number;
  tokenType: string;
  setThumbprint(kind: "jkt", value: string): void;
  save(): Promise<string>;
}

/** What oidc-provider's own DPoP check returns for a valid proof (RFC 9449 §4.3). */
type DpopProof = { thumbprint: string; jti: string } | undefined;

interface DpopChecks {
  validateDpop(provider: Provider, ctx: ExchangeContext): Promise<DpopProof>;
  checkDpopReplay(provider: Provider, ctx: ExchangeContext, proof: DpopProof, clientId: string): Promise<void>;
  checkDpopRequired(provider: Provider, ctx: ExchangeContext, proof: DpopProof): void;
}

let dpopChecks: Promise<DpopChecks> | undefined;

/**
 * oidc-provider's own DPoP checks, loaded with import() as oidc-provider itself is (server.ts): the
 * CLI bundle is CommonJS and keeps packages outside, so a static import of this ES module would
 * become a require() whose default export is not the function (the bundled sandbox answered 500).
 */
function loadDpopChecks(): Promise<DpopChecks> {
  dpopChecks ??= Promise.all([import("oidc-provider/lib/helpers/validate_dpop.js"), import("oidc-provider/lib/helpers/sender_constraints.js")]).then(
    ([validate, constraints]) => ({ validateDpop: validate.default, checkDpopReplay: validate.checkDpopReplay, checkDpopRequired: constraints.checkDpopRequired }),
  );
  return dpopChecks;
}

/**
 * RFC 8693 is not built into oidc-provider: a grant handler that validates the subject (and actor)
 * token the way introspection would (a live token this server issued), then issues an access token
 * for the requested resource or audience (a JWT with that `aud`) or, with neither, an opaque one.
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-2.1
 */
export function registerTokenExchange(provider: Provider, errors: ProviderErrors): void {
  const models = provider as unknown as TokenModels;
  const live = async (value: string): Promise<FoundToken | undefined> => {
    const found = (await models.AccessToken.find(value)) ?? (await models.ClientCredentials.find(value));
    return found && !found.isExpired ? found : undefined;
  };
  const checkType = (name: string, type: string | undefined) => {
    if (type === undefined) throw new errors.InvalidRequest(`missing required parameter '${name}'`);
    if (type !== ACCESS_TOKEN_TYPE) throw new errors.InvalidRequest(`unsupported ${name} ${type}; the sandbox takes ${ACCESS_TOKEN_TYPE}`);
  };

  const handler = async (ctx: ExchangeContext) => {
    const { params, client } = ctx.oidc;
    if (!params.subject_token) throw new errors.InvalidRequest("missing required parameter 'subject_token'");
    checkType("subject_token_type", params.subject_token_type);
    const subject = await live(params.subject_token);
    if (!subject) throw new errors.InvalidGrant("subject_token is not an active token of this server");
    let actor: FoundToken | undefined;
    if (params.actor_token !== undefined) {
      checkType("actor_token_type", params.actor_token_type);
      actor = await live(params.actor_token);
      if (!actor) throw new errors.InvalidGrant("actor_token is not an active token of this server");
    } else if (params.actor_token_type !== undefined) {
      // RFC 8693 §2.1: actor_token_type must not be sent without actor_token.
      throw new errors.InvalidRequest("actor_token_type given without actor_token");
    }
    const requested = params.requested_token_type;
    if (requested !== undefined && requested !== ACCESS_TOKEN_TYPE && requested !== JWT_TOKEN_TYPE) {
      throw new errors.InvalidRequest(`unsupported requested_token_type ${requested}; the sandbox issues ${ACCESS_TOKEN_TYPE}`);
    }
    if (params.resource !== undefined && params.audience !== undefined && params.resource !== params.audience) {
      throw new errors.InvalidTarget("resource and audience name different targets; the sandbox issues a token for one");
    }
    const target = params.resource ?? params.audience;
    // The new token carries no more scope than the subject token had (RFC 8693 §2.1 leaves policy to the server).
    const held = new Set((subject.scope ?? "").split(" ").filter(Boolean));
    const asked = params.scope === undefined ? [...held] : params.scope.split(" ").filter(Boolean);
    const extra: Record<string, unknown> = { subject_client_id: subject.clientId };
    if (actor) extra.act = { sub: actor.accountId ?? actor.clientId };
    const token = new models.ClientCredentials({ client, scope: undefined });
    // A DPoP proof binds the issued token to its key, as oidc-provider's own grants do (RFC 9449 §5):
    // the same check (signature, htm/htu, iat, nonce) and replay detection; a client registered with
    // dpop_bound_access_tokens gets no token without a proof (RFC 9449 §5.2).
    const dpop = await loadDpopChecks();
    const dPoP = await dpop.validateDpop(provider, ctx);
    dpop.checkDpopRequired(provider, ctx, dPoP);
    if (dPoP) {
      await dpop.checkDpopReplay(provider, ctx, dPoP, client.clientId);
      token.setThumbprint("jkt", dPoP.thumbprint);
    }
    EXCHANGE_CLAIMS.set(token, extra);
    let allowed = held;
    if (target !== undefined) {
      if (!(SANDBOX_RESOURCES as readonly string[]).includes(target)) {
        throw new errors.InvalidTarget(`unknown resource or audience ${target}; the sandbox knows ${SANDBOX_RESOURCES.join(", ")}`);
      }
      const server = new models.ResourceServer(target, resourceServerInfo(target));
      token.resourceServer = server;
      allowed = new Set([...held].filter((s) => server.scopes.has(s)));
    }
    const refused = asked.filter((s) => !held.has(s));
    if (refused.length > 0) throw new errors.InvalidRequest(`scope ${refused.join(" ")} exceeds the subject token's scope`);
    token.scope = asked.filter((s) => allowed.has(s)).join(" ") || undefined;
    const value = await token.save();
    ctx.body = {
      access_token: value,
      issued_token_type: requested === JWT_TOKEN_TYPE && target !== undefined ? JWT_TOKEN_TYPE : ACCESS_TOKEN_TYPE,
      token_type: token.tokenType,
      expires_in: token.expiration,
      ...(token.scope ? { scope: token.scope } : {}),
    };
  };
  (provider as unknown as { registerGrantType(name: string, handler: unknown, params: string[]): void }).registerGrantType(TOKEN_EXCHANGE_GRANT_TYPE, handler, [...TOKEN_EXCHANGE_PARAMETERS, "scope"]);
}
