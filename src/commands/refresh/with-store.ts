import { UsageError } from "../../errors/cli-error.js";
import type { TokenResult } from "../../oauth/token-response.js";
import { isFreshFor, type StoredTokenSet, toTokenResult, withStoreLock } from "../../store/index.js";
import type { OutputMode } from "../../output/format.js";
import { refreshRun, type TokenRun } from "../../errors/facts.js";
import { explainFailure } from "../shared/diagnosis.js";
import { envValue } from "../shared/env.js";
import { printTokens } from "../shared/print.js";
import { checkRequired } from "../shared/required.js";
import { type Endpoints, parseHeaders, requestParams, resolveClient, resolveEndpoints } from "../shared/resolve.js";
import { rescueOf, type SaveResult, saveTokens, TokensNotSavedError } from "../shared/save-tokens.js";
import type { Session } from "../shared/session.js";
import { lockWaitOf, readStoreFor, type StoreSettings, storeMetaOf } from "../shared/store.js";
import { type GrantFlags, isSameGrant, refuseOtherGrant } from "../shared/store-grant.js";
import { noteTokenStep, sendTokenRequest, type TokenRequest, traceTokenStep } from "../shared/token-request.js";
import { findGrantUse, recordSpentGrant, spentGrantOf } from "../shared/used-grants.js";
import { continueCommand } from "./carry-on.js";
import { type RefreshOptions, refreshRequirements } from "./flags.js";

/** The server sent a new refresh token: the one sent is (or soon will be) worthless. */
export function rotatedAway(tokens: TokenResult, sent: string): boolean {
  return tokens.refresh_token !== undefined && tokens.refresh_token !== sent;
}

/** What a stored set gave: its access token still fresh, or new tokens from a refresh (saved, or where they went instead). */
export type StoredTokens =
  | { readonly kind: "cached"; readonly tokens: TokenResult }
  | { readonly kind: "sent"; readonly tokens: TokenResult; readonly rotated: boolean; readonly saved?: SaveResult };

/**
 * The tokens of a store: the stored access token while it has `--min-ttl` left (no request at all),
 * else a refresh under the lock, the store re-read after taking it (another run may have just
 * spent the refresh token we read: databricks/cli #6051), and the answer saved before any output.
 * Shared by `refresh --store` and `request --store`; a refusal is thrown, explained.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-2.2.2
 */
export async function obtainStoredTokens(session: Session, opts: RefreshOptions, store: StoreSettings): Promise<StoredTokens> {
  const ctx = session.ctx;
  const cached = readStoreFor(session, store.path);
  const asked: GrantFlags = { tokenEndpoint: opts.tokenEndpoint, issuer: opts.issuer, clientId: opts.clientId ?? (ctx.env.OAUTH_CLIENT_ID || undefined) };
  if (cached) refuseOtherGrant(store.path, cached, asked);
  if (cached && !store.force && isFreshFor(cached, ctx.now(), store.minTtlMs) && isSameGrant(cached, asked)) {
    return { kind: "cached", tokens: toTokenResult(cached, ctx.now()) };
  }
  // A stored set brings its refresh token and endpoint; a store not written yet needs them as flags.
  if (cached === undefined) checkRequired(refreshRequirements(store.path), opts, ctx.env);
  const given = opts.refreshToken ?? envValue(ctx.env, "OAUTH_REFRESH_TOKEN");
  const seed = given === "-" ? await session.readStdin("--refresh-token", { secret: true }) : given;
  session.addSecret(seed);
  // Before discovery: a bad --param or --header stops the run before any request.
  const params = requestParams(opts);
  const headers = parseHeaders(opts.header);
  const named = opts.tokenEndpoint !== undefined || opts.issuer !== undefined;
  const endpoints: Endpoints = named ? await resolveEndpoints(session, opts) : { tokenEndpoint: cached!.token_endpoint, issuer: cached!.issuer };
  const client = await resolveClient(
    session,
    { ...opts, clientId: opts.clientId ?? envValue(ctx.env, "OAUTH_CLIENT_ID") ?? cached?.client_id, authMethod: opts.authMethod ?? cached?.auth_method },
    endpoints.metadata,
    // Tokens bound to a DPoP key are refreshed with proofs of that key (RFC 9449 §5).
    cached?.dpop_jwk,
  );
  const meta = storeMetaOf(endpoints, client);
  const resolved: GrantFlags = { tokenEndpoint: endpoints.tokenEndpoint, clientId: client.clientId };

  const run = await withStoreLock(session, store.path, lockWaitOf(session, store), async () => {
    const current = readStoreFor(session, store.path);
    // Re-read, and judged against what this run resolved: the store never picks where the secret goes.
    if (current) refuseOtherGrant(store.path, current, resolved);
    if (current && !store.force && isFreshFor(current, ctx.now(), store.minTtlMs)) return { kind: "cached", tokens: toTokenResult(current, ctx.now()) } as const;
    const refreshToken = pickRefreshToken(session, store.path, current, seed);
    const request: TokenRequest = { endpoints, client, grant: { grant_type: "refresh_token", refresh_token: refreshToken }, scope: opts.scope, params, headers };
    const spent = spentGrantOf(request);
    const priorUse = spent && findGrantUse(ctx, spent.kind, spent.endpoint, spent.value);
    const step = await sendTokenRequest(session, request);
    // Saved while the lock is held and before anything is printed: the old refresh token may be dead already.
    const saved = step.outcome.kind === "tokens" ? saveTokens(session, ctx.now(), { path: store.path, meta, previous: current, rescue: rescueOf(ctx, request) }, step.outcome.tokens) : undefined;
    return { kind: "sent", request, refreshToken, current, spent, priorUse, step, saved } as const;
  });
  if (run.kind === "cached") return run;

  const { request, step, saved, spent } = run;
  traceTokenStep(session, request, step);
  noteTokenStep(session, step);
  recordSpentGrant(ctx, spent, step);
  if (step.outcome.kind === "failed") {
    throw await explainFailure(session, request, step, { run: storedRefreshRun(run.current), spent, priorUse: run.priorUse });
  }
  const tokens = step.outcome.tokens;
  return { kind: "sent", tokens, rotated: rotatedAway(tokens, run.refreshToken), saved };
}

/** `refresh --store`: {@link obtainStoredTokens}, printed; tokens that missed the store are printed whole and exit 5. */
export async function refreshWithStore(session: Session, opts: RefreshOptions, store: StoreSettings, mode: OutputMode): Promise<void> {
  const got = await obtainStoredTokens(session, opts, store);
  if (got.kind === "cached") return printTokens(session, got.tokens, mode, { from_cache: true, rotated: false });
  const { saved } = got;
  await printTokens(session, got.tokens, saved?.kind === "unsaved" ? "json" : mode, { from_cache: false, rotated: got.rotated });
  if (saved && saved.kind !== "saved") throw new TokensNotSavedError(saved, saved.kind === "rescued" ? continueCommand(saved.rescue, opts, session.ctx.cwd, mode) : undefined);
}

/** What refresh --store knows that could explain a refusal. */
function storedRefreshRun(current: StoredTokenSet | undefined): TokenRun {
  return current?.refresh_token !== undefined ? refreshRun("store", current.saved_at) : refreshRun("argument");
}

/** The store's refresh token wins: a flag or env value is likely one the store has already rotated away. */
function pickRefreshToken(session: Session, path: string, current: StoredTokenSet | undefined, seed: string | undefined): string {
  // `revoke --store` marked these dead: sending one would only earn an invalid_grant.
  if (current?.revoked_at !== undefined && seed === undefined) throw revokedStoreError(path, current.revoked_at);
  const stored = current?.revoked_at === undefined ? current?.refresh_token : undefined;
  if (stored === undefined && seed === undefined) {
    throw new UsageError(`the token store ${path} holds no refresh token`, {
      hint: "Fill it with authorize or exchange --store (some providers need the offline_access scope), or start it from a refresh token with --refresh-token -.",
    });
  }
  if (stored !== undefined && seed !== undefined && seed !== stored) {
    session.note("using the refresh token from the store; --refresh-token and OAUTH_REFRESH_TOKEN only fill a store that has none");
  }
  return stored ?? seed!;
}

/** The store's tokens were revoked (RFC 7009) by `oauth-cli revoke --store`: nothing in it is worth sending. */
export function revokedStoreError(path: string, revokedAt: string): UsageError {
  return new UsageError(`the tokens in the store ${path} were revoked at ${revokedAt} (oauth-cli revoke --store); the refresh token in it no longer works`, {
    hint: `Sign in again into the same store (oauth-cli authorize --store ${path}), or start it from another refresh token with --refresh-token -.`,
  });
}
