import { dirname } from "node:path";
import type { Session } from "../commands/shared/session.js";
import { UsageError } from "../errors/cli-error.js";
import type { TokenResult } from "../oauth/token-response.js";
import { ensurePrivateDir } from "./atomic-write.js";
import { acquireStoreLock } from "./lock.js";
import { buildStoredSet, describeLoosePermissions, readStore, type StoredTokenSet, type StoreMeta, writeStore } from "./token-store.js";

export type { StoredTokenSet, StoreMeta } from "./token-store.js";
export { isFreshFor, toTokenResult } from "./token-store.js";

export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;

const warnedLoose = new WeakMap<Session, Set<string>>();

/** Reads the store (undefined when there is none), warning when others can read it; its tokens become secrets of the run. */
export function loadStore(session: Session, path: string): StoredTokenSet | undefined {
  const loaded = readStore(path);
  if (loaded === undefined) return undefined;
  const loose = describeLoosePermissions(path, loaded.mode);
  // Once per run, though the store is read twice (before and after the lock).
  const warned = warnedLoose.get(session) ?? new Set<string>();
  if (loose && !warned.has(path)) session.warn(loose);
  warnedLoose.set(session, warned.add(path));
  session.addSecret(loaded.tokens.access_token);
  session.addSecret(loaded.tokens.refresh_token);
  session.addSecret(loaded.tokens.id_token);
  return loaded.tokens;
}

/** Runs `work` holding `<store>.lock`; the folder is created (0700) first so the lock has a home. */
export async function withStoreLock<T>(session: Session, path: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  try {
    if (ensurePrivateDir(dirname(path))) session.note(`created ${dirname(path)} (mode 0700) for the token store`);
  } catch (error) {
    throw new UsageError(`cannot create the folder of the token store ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const lock = await acquireStoreLock(path, {
    timeoutMs,
    now: () => session.ctx.now(),
    signal: session.ctx.signal,
    onStale: (message) => session.note(message),
  });
  try {
    return await work();
  } finally {
    lock.release();
  }
}

/** Saves under the lock, keeping the replaced copy as `<store>.bak`. */
export function saveLocked(path: string, tokens: TokenResult, meta: StoreMeta, now: number, previous: StoredTokenSet | undefined): StoredTokenSet {
  const set = buildStoredSet(tokens, meta, now, previous);
  writeStore(path, set, { replacing: previous !== undefined });
  return set;
}
