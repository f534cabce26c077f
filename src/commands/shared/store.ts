import type { Context } from "../../context.js";
import { UsageError } from "../../errors/cli-error.js";
import { DEFAULT_LOCK_TIMEOUT_MS, type LockWait, loadStore, type StoredTokenSet, type StoreMeta, storedSecrets } from "../../store/index.js";
import type { OptionsOf } from "./flag-table.js";
import { expandPath } from "./paths.js";
import type { CACHE_FLAGS, STORE_FLAGS } from "./flags.js";
import type { ClientConfig, Endpoints } from "./resolve.js";
import type { Session } from "./session.js";

/** The store flags as commander hands them over (the cache flags only on refresh and client-credentials). */
export type StoreFlags = OptionsOf<typeof STORE_FLAGS> & OptionsOf<typeof CACHE_FLAGS>;

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

/** What a store records about where its tokens came from (never the client secret). */
export function storeMetaOf(endpoints: Endpoints, client: ClientConfig): StoreMeta {
  return {
    tokenEndpoint: endpoints.tokenEndpoint,
    issuer: endpoints.issuer,
    clientId: client.clientId,
    authMethod: client.authMethod,
    ...(client.dpop ? { dpopJwk: client.dpop.privateJwk } : {}),
  };
}

/** Reads the store (warning on stderr when others can read it); its tokens become secrets of the run, kept out of every trace. */
export function readStoreFor(session: Session, path: string): StoredTokenSet | undefined {
  const tokens = loadStore(session, path);
  for (const secret of storedSecrets(tokens)) session.addSecret(secret);
  return tokens;
}

/** How long, and until when, this run waits for the store's lock. */
export function lockWaitOf(session: Session, store: StoreSettings): LockWait {
  return { timeoutMs: store.lockTimeoutMs, now: () => session.ctx.now(), signal: session.ctx.signal };
}
