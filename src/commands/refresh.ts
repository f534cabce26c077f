import { createHash } from "node:crypto";
import { join } from "node:path";
import type { Context } from "../context.js";
import { type CommonOptions, resolveOutputMode, resolveTokenTarget, sessionOptions, type TokenTarget } from "../cli/options.js";
import { requireFlags } from "../cli/require.js";
import { Session } from "../cli/session.js";
import { refreshWithStore, resolveStoreSettings, saveOrRescue, storeMetaOf, type StoreFlags } from "../cli/store-flow.js";
import { printTokens, requestTokens } from "../cli/token-flow.js";
import { stateDir } from "../cli/used-grants.js";
import { refreshRun } from "../errors/facts.js";
import type { TokenResult } from "../oauth/token-response.js";

export interface RefreshOptions extends CommonOptions, StoreFlags {
  refreshToken?: string;
}

/**
 * Trades a refresh token for a new access token. Made for scripts: no prompts, machine output
 * when not on a TTY, exit codes, and a rotated refresh token is never lost.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export async function runRefresh(ctx: Context, opts: RefreshOptions): Promise<void> {
  const session = new Session(ctx, sessionOptions(opts));
  const mode = resolveOutputMode(opts, ctx);
  const store = resolveStoreSettings(opts, ctx);
  if (store) return refreshWithStore(session, opts, store, mode);
  const given = opts.refreshToken ?? (ctx.env.OAUTH_REFRESH_TOKEN || undefined);
  requireFlags([
    given === undefined && "--refresh-token TOKEN (or OAUTH_REFRESH_TOKEN, or --refresh-token - for standard input)",
    opts.tokenEndpoint === undefined && opts.issuer === undefined && "--token-endpoint URL or --issuer URL",
  ]);
  const refreshToken = given === "-" ? await session.readStdin("--refresh-token") : given!;
  session.addSecret(refreshToken);
  const target = await resolveTokenTarget(session, opts);
  // -o token prints the access token alone: a rotated refresh token would have nowhere to go.
  const rescue = mode === "token" ? rescuePath(ctx, target) : undefined;
  const rotatedAway = (fresh: TokenResult) => fresh.refresh_token !== undefined && fresh.refresh_token !== refreshToken;
  const { tokens } = await requestTokens(session, {
    ...target,
    grant: { grant_type: "refresh_token", refresh_token: refreshToken },
    scope: opts.scope,
    diagnosis: refreshRun(opts.refreshToken === undefined ? "env" : opts.refreshToken === "-" ? "stdin" : "argument"),
    persist: (fresh) => {
      if (rescue && rotatedAway(fresh)) saveOrRescue(session, rescue, fresh, storeMetaOf(target.endpoints, target.client), undefined);
    },
  });
  const rotated = rotatedAway(tokens);
  if (rotated && rescue) {
    session.warn(`the server rotated the refresh token, and -o token prints only the access token: the new refresh token is saved in ${rescue} (mode 0600). Carry on from it with: oauth-cli refresh --store ${rescue}`);
  } else if (rotated && mode === "pretty") {
    session.note("the server rotated the refresh token: the one printed above replaces the old one, which no longer works");
  }
  await printTokens(session, tokens, mode, mode === "json" ? { rotated } : {});
}

/** A token store of its own per token endpoint and client, in the state folder (used-grants.ts). */
function rescuePath(ctx: Context, target: TokenTarget): string {
  const key = createHash("sha256").update(`${target.endpoints.tokenEndpoint}\n${target.client.clientId ?? ""}`).digest("hex").slice(0, 16);
  return join(stateDir(ctx), "rotated", `${key}.json`);
}
