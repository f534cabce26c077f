import { join, resolve } from "node:path";
import type { Context } from "../context.js";
import { type CommonOptions, resolveOutputMode, resolveTokenTarget, sessionOptions } from "../cli/options.js";
import { requireFlags } from "../cli/require.js";
import { Session } from "../cli/session.js";
import { refreshWithStore, resolveStoreSettings, saveOrRescue, storeMetaOf, type StoreFlags } from "../cli/store-flow.js";
import { printTokens, requestTokens } from "../cli/token-flow.js";
import { stateDir } from "../cli/used-grants.js";
import type { TokenResult } from "../oauth/token-response.js";
import { saveNewStore } from "../store/index.js";

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
  // Each grant gets a file of its own (saveNewStore), so one never overwrites another's token.
  const rescueDir = mode === "token" ? join(stateDir(ctx), "rotated") : undefined;
  let rescue: string | undefined;
  const rotatedAway = (fresh: TokenResult) => fresh.refresh_token !== undefined && fresh.refresh_token !== refreshToken;
  const { tokens } = await requestTokens(session, {
    ...target,
    grant: { grant_type: "refresh_token", refresh_token: refreshToken },
    scope: opts.scope,
    diagnosis: { command: "refresh", facts: { refreshTokenSource: opts.refreshToken === undefined ? "env" : opts.refreshToken === "-" ? "stdin" : "argument" } },
    persist: (fresh) => {
      if (rescueDir && rotatedAway(fresh)) rescue = saveOrRescue(session, fresh, () => saveNewStore(rescueDir, refreshToken, fresh, storeMetaOf(target.endpoints, target.client), ctx.now()));
    },
  });
  const rotated = rotatedAway(tokens);
  if (rotated && rescue) {
    session.warn(`the server rotated the refresh token, and -o token prints only the access token: the new refresh token is saved in ${rescue} (mode 0600). Carry on from it with: ${continueCommand(rescue, opts, ctx.cwd)}`);
  } else if (rotated && mode === "pretty") {
    session.note("the server rotated the refresh token: the one printed above replaces the old one, which no longer works");
  }
  await printTokens(session, tokens, mode, mode === "json" ? { rotated } : {});
}

/** The command that carries on from a rescue store: the store holds endpoint and client, not the secret. */
function continueCommand(store: string, opts: RefreshOptions, cwd: string): string {
  const words = ["oauth-cli", "refresh", "--store", store];
  if (opts.clientSecretFile !== undefined && opts.clientSecretFile !== "-") words.push("--client-secret-file", resolve(cwd, opts.clientSecretFile));
  else if (opts.clientSecretFile === "-" || opts.clientSecret !== undefined) words.push("--client-secret", "-");
  if (opts.bodyFormat !== undefined) words.push("--body-format", opts.bodyFormat);
  if (opts.caFile !== undefined) words.push("--ca-file", resolve(cwd, opts.caFile));
  words.push("-o", "token");
  return words.map(shellWord).join(" ");
}

function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}
