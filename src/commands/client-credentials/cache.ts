import { UsageError } from "../../errors/cli-error.js";
import type { TokenResult } from "../../oauth/token-response.js";
import { isFreshFor, loadStore, toTokenResult } from "../../store/index.js";
import type { Session } from "../shared/session.js";
import type { StoreSettings } from "../shared/store.js";

/**
 * `client-credentials --store`: the stored token while it has `--min-ttl` left and belongs to the
 * same client. A store holding a user's refresh token is never overwritten by a client token.
 */
export function findCachedClientToken(session: Session, store: StoreSettings, clientId: string | undefined, scope?: string): TokenResult | undefined {
  const cached = loadStore(session, store.path);
  if (cached?.refresh_token !== undefined) {
    throw new UsageError(`the token store ${store.path} holds a refresh token (a user's grant); client-credentials would replace it`, {
      hint: "Give client-credentials a store of its own: --store OTHER_PATH.",
    });
  }
  if (cached === undefined || store.force || !isFreshFor(cached, session.ctx.now(), store.minTtlMs)) return undefined;
  if (clientId !== undefined && cached.client_id !== clientId) return undefined;
  // A token for other scopes is no answer; unknown stored scopes count as other.
  const held = new Set((cached.scope ?? "").split(" ").filter(Boolean));
  if (scope !== undefined && (cached.scope === undefined || !scope.split(" ").filter(Boolean).every((s) => held.has(s)))) return undefined;
  return toTokenResult(cached, session.ctx.now());
}
