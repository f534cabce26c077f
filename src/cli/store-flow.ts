import { isAbsolute, resolve } from "node:path";
import type { Context } from "../context.js";
import { UsageError } from "../errors/cli-error.js";
import type { TokenResult } from "../oauth/token-response.js";
import { formatJson, type OutputMode } from "../output/format.js";
import {
  DEFAULT_LOCK_TIMEOUT_MS,
  isFreshFor,
  loadStore,
  saveLocked,
  type StoredTokenSet,
  type StoreMeta,
  storedSecrets,
  toTokenResult,
  withStoreLock,
} from "../store/index.js";
import { type ClientConfig, type CommonOptions, type Endpoints, parseHeaders, parseParams, resolveClient, resolveEndpoints } from "./options.js";
import { requireFlags } from "./require.js";
import type { Session } from "./session.js";
import { printTokens, requestTokens, type TokenCall, type TokenOutcome } from "./token-flow.js";

/** The store flags as commander hands them over. */
export interface StoreFlags {
  store?: string;
  lockTimeout?: string;
  minTtl?: string;
  force?: boolean;
}

export interface StoreSettings {
  readonly path: string;
  readonly lockTimeoutMs: number;
  readonly minTtlMs: number;
  readonly force: boolean;
}

export const DEFAULT_MIN_TTL_SECONDS = 60;

function readSeconds(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const seconds = Number(value);
  if (value.trim() === "" || !Number.isFinite(seconds) || seconds < 0) throw new UsageError(`${flag}: "${value}" is not a number of seconds`);
  return seconds;
}

/** `~/…` is expanded (a profile's store path is not seen by a shell); relative paths start at the cwd. */
export function expandPath(ctx: Context, path: string): string {
  const home = path === "~" || path.startsWith("~/") ? `${ctx.homedir}${path.slice(1)}` : path;
  return isAbsolute(home) ? home : resolve(ctx.cwd, home);
}

/** Validated store settings, or undefined without --store (then the cache flags make no sense). */
export function resolveStoreSettings(opts: StoreFlags, ctx: Context): StoreSettings | undefined {
  if (opts.store === undefined || opts.store === "") {
    const orphan = [opts.minTtl !== undefined && "--min-ttl", opts.force && "--force", opts.lockTimeout !== undefined && "--lock-timeout"].filter(Boolean);
    if (orphan.length > 0) throw new UsageError(`${orphan.join(", ")} only ${orphan.length > 1 ? "work" : "works"} with --store PATH`);
    return undefined;
  }
  return {
    path: expandPath(ctx, opts.store),
    lockTimeoutMs: Math.round(readSeconds("--lock-timeout", opts.lockTimeout, DEFAULT_LOCK_TIMEOUT_MS / 1000) * 1000),
    minTtlMs: Math.round(readSeconds("--min-ttl", opts.minTtl, DEFAULT_MIN_TTL_SECONDS) * 1000),
    force: !!opts.force,
  };
}

export type StoredRefreshOptions = CommonOptions & StoreFlags & { refreshToken?: string };

interface RefreshOutcome {
  readonly tokens: TokenResult;
  readonly fromCache: boolean;
  readonly rotated: boolean;
}

/**
 * `refresh --store`: the stored access token while it has `--min-ttl` left (no request at all),
 * else a refresh under the lock, the store re-read after taking it (another run may have just
 * spent the refresh token we read: databricks/cli #6051), and the answer saved before any output.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-2.2.2
 */
export async function refreshWithStore(session: Session, opts: StoredRefreshOptions, store: StoreSettings, mode: OutputMode): Promise<void> {
  const ctx = session.ctx;
  const cached = readStoreFor(session, store.path);
  const asked: GrantFlags = { tokenEndpoint: opts.tokenEndpoint, issuer: opts.issuer, clientId: opts.clientId ?? (ctx.env.OAUTH_CLIENT_ID || undefined) };
  if (cached) refuseOtherGrant(store.path, cached, asked);
  if (cached && !store.force && isFreshFor(cached, ctx.now(), store.minTtlMs) && isSameGrant(cached, asked)) {
    return printTokens(session, toTokenResult(cached, ctx.now()), mode, { from_cache: true, rotated: false });
  }
  const given = opts.refreshToken ?? (ctx.env.OAUTH_REFRESH_TOKEN || undefined);
  const named = opts.tokenEndpoint !== undefined || opts.issuer !== undefined;
  requireFlags([
    cached === undefined && given === undefined && `--refresh-token TOKEN (or OAUTH_REFRESH_TOKEN): the store ${store.path} does not exist yet`,
    cached === undefined && !named && "--token-endpoint URL or --issuer URL (the store does not exist yet)",
  ]);
  const seed = given === "-" ? await session.readStdin("--refresh-token") : given;
  session.addSecret(seed);
  const endpoints: Endpoints = named ? await resolveEndpoints(session, opts) : { tokenEndpoint: cached!.token_endpoint, issuer: cached!.issuer };
  const client = await resolveClient(
    session,
    { ...opts, clientId: opts.clientId ?? (ctx.env.OAUTH_CLIENT_ID || cached?.client_id), authMethod: opts.authMethod ?? cached?.auth_method },
    endpoints.metadata,
  );
  const params = parseParams(opts.param);
  const headers = parseHeaders(opts.header);
  const meta = storeMetaOf(endpoints, client);
  const resolved: GrantFlags = { tokenEndpoint: endpoints.tokenEndpoint, clientId: client.clientId };

  const outcome = await withStoreLock(session, store.path, lockWaitOf(session, store), async (): Promise<RefreshOutcome> => {
    const current = readStoreFor(session, store.path);
    // Re-read, and judged against what this run resolved: the store never picks where the secret goes.
    if (current) refuseOtherGrant(store.path, current, resolved);
    if (current && !store.force && isFreshFor(current, ctx.now(), store.minTtlMs)) {
      return { tokens: toTokenResult(current, ctx.now()), fromCache: true, rotated: false };
    }
    const refreshToken = pickRefreshToken(session, store.path, current, seed);
    const { tokens } = await requestTokens(session, {
      persist: (fresh) => saveOrRescue(session, fresh, () => saveLocked(session, store.path, fresh, meta, ctx.now(), current)),
      endpoints,
      client,
      grant: { grant_type: "refresh_token", refresh_token: refreshToken },
      scope: opts.scope,
      params,
      headers,
      diagnosis: { command: "refresh", facts: { refreshTokenSource: current?.refresh_token !== undefined ? "store" : "argument", storeSavedAt: current?.refresh_token !== undefined ? current.saved_at : undefined } },
    });
    return { tokens, fromCache: false, rotated: tokens.refresh_token !== undefined && tokens.refresh_token !== refreshToken };
  });
  await printTokens(session, outcome.tokens, mode, { from_cache: outcome.fromCache, rotated: outcome.rotated });
}

/** Reads the store; its tokens become secrets of the run (kept out of every trace). */
function readStoreFor(session: Session, path: string): StoredTokenSet | undefined {
  const tokens = loadStore(session, path);
  for (const secret of storedSecrets(tokens)) session.addSecret(secret);
  return tokens;
}

function lockWaitOf(session: Session, store: StoreSettings) {
  return { timeoutMs: store.lockTimeoutMs, now: () => session.ctx.now(), signal: session.ctx.signal };
}

/** Where and for whom the run wants tokens; undefined = not said (the store's value is used). */
interface GrantFlags {
  readonly tokenEndpoint?: string;
  readonly issuer?: string;
  readonly clientId?: string;
}

/** Issuers compare as strings (RFC 9207 §2.4), give or take the trailing slash people add. */
const sameIssuer = (a: string, b: string) => a.replace(/\/+$/, "") === b.replace(/\/+$/, "");

/** What the stored set says that contradicts what the run asked for, if anything. */
function grantConflict(stored: StoredTokenSet, asked: GrantFlags): string | undefined {
  if (asked.tokenEndpoint !== undefined && stored.token_endpoint !== asked.tokenEndpoint) return `token endpoint ${stored.token_endpoint}, not ${asked.tokenEndpoint}`;
  if (asked.issuer !== undefined && stored.issuer !== undefined && !sameIssuer(stored.issuer, asked.issuer)) return `issuer ${stored.issuer}, not ${asked.issuer}`;
  if (asked.clientId !== undefined && stored.client_id !== asked.clientId) return `client ${stored.client_id ?? "(none)"}, not ${asked.clientId}`;
  return undefined;
}

/** A cached token is only an answer when everything asked for is known to match (an unknown stored issuer is no match). */
function isSameGrant(stored: StoredTokenSet, asked: GrantFlags): boolean {
  return grantConflict(stored, asked) === undefined && (asked.issuer === undefined || stored.issuer !== undefined);
}

/**
 * A store holds one grant. Its tokens are never sent to, or served for, another endpoint or
 * client than the one they came from: that would hand a refresh token to the wrong server.
 */
function refuseOtherGrant(path: string, stored: StoredTokenSet, asked: GrantFlags): void {
  const conflict = grantConflict(stored, asked);
  if (conflict === undefined) return;
  throw new UsageError(`the token store ${path} holds tokens of another grant (${conflict})`, {
    hint: "A store holds one grant: give this one a store of its own (--store OTHER_PATH), or drop the flag to use the stored grant.",
  });
}

/** The store's refresh token wins: a flag or env value is likely one the store has already rotated away. */
function pickRefreshToken(session: Session, path: string, current: StoredTokenSet | undefined, seed: string | undefined): string {
  const stored = current?.refresh_token;
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

/**
 * Runs `save`; if that fails, the tokens go to stdout as JSON anyway, since the server may
 * already have invalidated the old refresh token and this is the only copy left.
 */
export function saveOrRescue<T>(session: Session, tokens: TokenResult, save: () => T): T {
  try {
    return save();
  } catch (error) {
    session.ctx.stdout.write(formatJson(tokens));
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${message}; the new tokens were printed on stdout as JSON instead`, {
      hint: "Keep that output: the server may already have retired the old refresh token.",
    });
  }
}

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
  return toTokenResult(cached, session.ctx.now());
}

/**
 * A token request whose answer goes to the store (exchange, client-credentials, authorize): the
 * store stays locked across the request, and the new set is saved straight after parsing, before
 * any trace, note or output. Without a store, a plain request.
 */
export function requestTokensIntoStore(session: Session, store: StoreSettings | undefined, call: TokenCall): Promise<TokenOutcome> {
  if (!store) return requestTokens(session, call);
  const meta = storeMetaOf(call.endpoints, call.client);
  return withStoreLock(session, store.path, lockWaitOf(session, store), () => {
    const previous = readStoreFor(session, store.path);
    return requestTokens(session, { ...call, persist: (tokens) => void saveOrRescue(session, tokens, () => saveLocked(session, store.path, tokens, meta, session.ctx.now(), previous)) });
  });
}

/** What a store records about where its tokens came from (never the client secret). */
export function storeMetaOf(endpoints: Endpoints, client: ClientConfig): StoreMeta {
  return { tokenEndpoint: endpoints.tokenEndpoint, issuer: endpoints.issuer, clientId: client.clientId, authMethod: client.authMethod };
}
