import type { Context } from "../context.js";
import { type CommonOptions, resolveOutputMode, resolveTokenTarget, sessionOptions } from "../cli/options.js";
import { requireFlags } from "../cli/require.js";
import { Session } from "../cli/session.js";
import { requestTokensIntoStore, resolveStoreSettings, type StoreFlags } from "../cli/store-flow.js";
import { printTokens } from "../cli/token-flow.js";
import { exchangeRun } from "../errors/facts.js";
import { loadStore } from "../store/index.js";

export interface ExchangeOptions extends CommonOptions, StoreFlags {
  code?: string;
  redirectUri?: string;
  codeVerifier?: string;
}

/**
 * Exchanges an authorization code for tokens.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.5
 */
export async function runExchange(ctx: Context, opts: ExchangeOptions): Promise<void> {
  const session = new Session(ctx, sessionOptions(opts));
  const mode = resolveOutputMode(opts, ctx);
  requireFlags([
    opts.code === undefined && "--code CODE (or --code - to read it from standard input)",
    opts.redirectUri === undefined && "--redirect-uri URI (the one the authorization request used)",
    opts.tokenEndpoint === undefined && opts.issuer === undefined && "--token-endpoint URL or --issuer URL",
  ]);
  const store = resolveStoreSettings(opts, ctx);
  // A corrupt store stops the run before the single-use code is spent.
  if (store) loadStore(session, store.path);
  const code = opts.code === "-" ? await session.readStdin("--code") : opts.code!;
  const verifier = opts.codeVerifier === "-" ? await session.readStdin("--code-verifier") : opts.codeVerifier;
  const target = await resolveTokenTarget(session, opts);
  const grant: Record<string, string> = { grant_type: "authorization_code", code, redirect_uri: opts.redirectUri! };
  if (verifier !== undefined) grant.code_verifier = verifier;
  const { tokens } = await requestTokensIntoStore(session, store, {
    ...target,
    grant,
    scope: opts.scope,
    diagnosis: exchangeRun({ redirectUri: opts.redirectUri!, codeVerifier: verifier }),
  });
  await printTokens(session, tokens, mode);
}
