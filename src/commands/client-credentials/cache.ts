import { UsageError } from "../../errors/cli-error.js";
import type { TokenResult } from "../../oauth/token-response.js";
import { accessTokenAudience } from "../../output/format.js";
import { isFreshFor, toTokenResult } from "../../store/index.js";
import type { Session } from "../shared/session.js";
import { readStoreFor, type StoreSettings } from "../shared/store.js";
import { isSameGrant } from "../shared/store-grant.js";

/**
 * `client-credentials --store`: the stored token while it has `--min-ttl` left and belongs to the
 * same client. A store holding a user's refresh token is never overwritten by a client token.
 */
export function findCachedClientToken(
  session: Session,
  store: StoreSettings,
  clientId: string | undefined,
  scope?: string,
  where: { tokenEndpoint?: string; issuer?: string } = {},
  resources: readonly string[] = [],
): TokenResult | undefined {
  const cached = readStoreFor(session, store.path);
  if (cached?.refresh_token !== undefined) {
    throw new UsageError(`the token store ${store.path} holds a refresh token (a user's grant); client-credentials would replace it`, {
      hint: "Give client-credentials a store of its own: --store OTHER_PATH.",
    });
  }
  if (cached === undefined || store.force || !isFreshFor(cached, session.ctx.now(), store.minTtlMs)) return undefined;
  // Served only for the endpoint and client it came from (a planted or stale store is no answer).
  if (!isSameGrant(cached, { tokenEndpoint: where.tokenEndpoint, issuer: where.issuer, clientId })) return undefined;
  // A token for other scopes is no answer; unknown stored scopes count as other.
  const held = new Set((cached.scope ?? "").split(" ").filter(Boolean));
  if (scope !== undefined && (cached.scope === undefined || !scope.split(" ").filter(Boolean).every((s) => held.has(s)))) return undefined;
  // A token for another API is no answer either (RFC 8707): with --resource, the stored JWT's aud
  // must name every resource asked for; an opaque token's audience is unknown, so it counts as other.
  if (resources.length > 0) {
    const aud = accessTokenAudience(cached);
    const held = new Set(aud === undefined ? [] : [aud].flat());
    if (!resources.every((r) => held.has(r))) return undefined;
  }
  return toTokenResult(cached, session.ctx.now());
}
