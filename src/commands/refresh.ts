import type { Context } from "../context.js";
import { type CommonOptions, resolveOutputMode, resolveTokenTarget, sessionOptions } from "../cli/options.js";
import { requireFlags } from "../cli/require.js";
import { Session } from "../cli/session.js";
import { refreshWithStore, resolveStoreSettings, type StoreFlags } from "../cli/store-flow.js";
import { printTokens, requestTokens } from "../cli/token-flow.js";

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
  const { tokens } = await requestTokens(session, {
    ...target,
    grant: { grant_type: "refresh_token", refresh_token: refreshToken },
    scope: opts.scope,
    diagnosis: { command: "refresh", facts: { refreshTokenSource: opts.refreshToken === undefined ? "env" : opts.refreshToken === "-" ? "stdin" : "argument" } },
  });
  const rotated = tokens.refresh_token !== undefined && tokens.refresh_token !== refreshToken;
  if (rotated && mode !== "json" && mode !== "env") {
    session.warn("the server rotated the refresh token: the old one no longer works. Use -o json or -o env (or --store) to keep the new one.");
  }
  await printTokens(session, tokens, mode, mode === "json" ? { rotated } : {});
}
