import { createHash } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { UsageError } from "../errors/cli-error.js";
import { ensurePrivateDir } from "../fs/safe-file.js";
import type { TokenResult } from "../oauth/token-response.js";
import { acquireStoreLock } from "./lock.js";
import { buildStoredSet, describeLoosePermissions, markedRevoked, readStore, type StoredTokenSet, type StoreMeta, writeStore } from "./token-store.js";

export type { StoredTokenSet, StoreMeta } from "./token-store.js";
export { isFreshFor, markedRevoked, toTokenResult } from "./token-store.js";

export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;

/** Where the store's messages go (stderr, in the command layer); the store never prints itself. */
export interface StoreReporter {
  warn(message: string): void;
  note(message: string): void;
}

/** What the lock wait needs from the run. */
export interface LockWait {
  readonly timeoutMs: number;
  readonly now: () => number;
  readonly signal?: AbortSignal;
}

const warnedLoose = new WeakMap<StoreReporter, Set<string>>();

/** Reads the store (undefined when there is none), warning when others can read it. */
export function loadStore(reporter: StoreReporter, path: string): StoredTokenSet | undefined {
  const loaded = readStore(path);
  if (loaded === undefined) return undefined;
  const loose = describeLoosePermissions(path, loaded.mode);
  // Once per run, though the store is read twice (before and after the lock).
  const warned = warnedLoose.get(reporter) ?? new Set<string>();
  if (loose && !warned.has(path)) reporter.warn(loose);
  warnedLoose.set(reporter, warned.add(path));
  return loaded.tokens;
}

/** The secrets a stored set holds, for the caller to keep out of every trace. */
export function storedSecrets(tokens: StoredTokenSet | undefined): string[] {
  if (tokens === undefined) return [];
  return [tokens.access_token, tokens.refresh_token, tokens.id_token].filter((v): v is string => !!v);
}

/** Runs `work` holding `<store>.lock`; the folder is created (0700) first so the lock has a home. */
export async function withStoreLock<T>(reporter: StoreReporter, path: string, wait: LockWait, work: () => Promise<T>): Promise<T> {
  try {
    if (ensurePrivateDir(dirname(path))) reporter.note(`created ${dirname(path)} (mode 0700) for the token store`);
  } catch (error) {
    throw new UsageError(`cannot create the folder of the token store ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const lock = await acquireStoreLock(path, { ...wait, onStale: (message) => reporter.note(message) });
  try {
    return await work();
  } finally {
    lock.release();
  }
}

/** Saves under the lock, keeping the replaced copy as `<store>.bak` (or saying why not). */
export function saveLocked(reporter: StoreReporter, path: string, tokens: TokenResult, meta: StoreMeta, now: number, previous: StoredTokenSet | undefined): StoredTokenSet {
  const set = buildStoredSet(tokens, meta, now, previous);
  const { backupSkipped } = writeStore(path, set, { replacing: previous !== undefined });
  if (backupSkipped) reporter.warn(`the token store ${path} was saved, but without a backup: ${backupSkipped}`);
  return set;
}

/** Marks the stored tokens revoked (see StoredTokenSet.revoked_at), under the lock the caller holds. */
export function saveRevokedLocked(path: string, current: StoredTokenSet, now: number): StoredTokenSet {
  const set = markedRevoked(current, now);
  // No .bak of the dead set: the backup keeps the older copy it had.
  writeStore(path, set, { replacing: false });
  return set;
}

/**
 * The `n`th name a new store for this grant may take in `dir`: a hash of the token endpoint, the
 * client and the refresh token (or code) just spent, then `-2`, `-3`… for the next ones.
 */
export function newStorePath(dir: string, spent: string, meta: Pick<StoreMeta, "tokenEndpoint" | "clientId">, n = 1): string {
  const key = createHash("sha256").update(`${meta.tokenEndpoint}\n${meta.clientId ?? ""}\n${spent}`).digest("hex").slice(0, 16);
  return join(dir, n === 1 ? `${key}.json` : `${key}-${n}.json`);
}

/**
 * Saves a grant's tokens in a new store of their own in `dir`, named after the grant
 * ({@link newStorePath}), and never over an existing file: a second grant of the same client, or
 * a second answer for the same refresh token, gets a file of its own, so no unspent refresh token
 * is ever overwritten.
 * @returns the path written
 */
export function saveNewStore(dir: string, spent: string, tokens: TokenResult, meta: StoreMeta, now: number): string {
  const set = buildStoredSet(tokens, meta, now);
  for (let n = 1; ; n++) {
    const path = newStorePath(dir, spent, meta, n);
    try {
      writeStore(path, set, { replacing: false, exclusive: true });
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (n >= 100) throw new UsageError(`cannot save the new tokens in ${dir}: ${basename(newStorePath(dir, spent, meta))} and 99 more like it exist already`);
    }
  }
}
