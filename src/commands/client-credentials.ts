import type { Context } from "../context.js";
import { type CommonOptions, resolveOutputMode, resolveTokenTarget, sessionOptions } from "../cli/options.js";
import { requireFlags } from "../cli/require.js";
import { Session } from "../cli/session.js";
import { findCachedClientToken, requestTokensIntoStore, resolveStoreSettings, type StoreFlags } from "../cli/store-flow.js";
import { printTokens } from "../cli/token-flow.js";

export type ClientCredentialsOptions = CommonOptions & StoreFlags;

/**
 * A token for the client itself, no user involved.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4.2
 */
export async function runClientCredentials(ctx: Context, opts: ClientCredentialsOptions): Promise<void> {
  const session = new Session(ctx, sessionOptions(opts));
  const mode = resolveOutputMode(opts, ctx);
  requireFlags([
    opts.tokenEndpoint === undefined && opts.issuer === undefined && "--token-endpoint URL or --issuer URL",
    opts.clientId === undefined && !ctx.env.OAUTH_CLIENT_ID && "--client-id ID (or OAUTH_CLIENT_ID)",
  ]);
  const store = resolveStoreSettings(opts, ctx);
  const cached = store && findCachedClientToken(session, store, opts.clientId ?? (ctx.env.OAUTH_CLIENT_ID || undefined), opts.scope, opts);
  if (cached) return printTokens(session, cached, mode, { from_cache: true });
  const target = await resolveTokenTarget(session, opts);
  const { tokens } = await requestTokensIntoStore(session, store, {
    ...target,
    grant: { grant_type: "client_credentials" },
    scope: opts.scope,
    diagnosis: { command: "client-credentials", facts: {} },
  });
  await printTokens(session, tokens, mode, store ? { from_cache: false } : {});
}
