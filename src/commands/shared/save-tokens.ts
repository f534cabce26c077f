import { join } from "node:path";
import type { Context } from "../../context.js";
import { CliError, ExitCode } from "../../errors/cli-error.js";
import type { TokenResult } from "../../oauth/token-response.js";
import { newStorePath, saveLocked, saveNewStore, type StoredTokenSet, type StoreMeta, type StoreReporter, withStoreLock } from "../../store/index.js";
import type { Session } from "./session.js";
import { lockWaitOf, readStoreFor, type StoreSettings, storeMetaOf } from "./store.js";
import { sendTokenRequest, type TokenRequest, type TokenStep } from "./token-request.js";
import { spentGrantOf, stateDir } from "./used-grants.js";

/** Where the tokens went: the file asked for, a rescue file beside our state, or nowhere (stdout must carry them). */
export type SaveResult =
  | { readonly kind: "saved"; readonly path: string }
  | { readonly kind: "rescued"; readonly path: string; readonly reason: string; readonly rescue: string }
  | { readonly kind: "unsaved"; readonly path: string; readonly reason: string };

export interface SaveTarget {
  readonly path: string;
  readonly meta: StoreMeta;
  /** The set being replaced (kept as `<path>.bak`), if any. */
  readonly previous?: StoredTokenSet;
  /** Where they go when `path` cannot take them (see {@link rescueOf}). */
  readonly rescue: Rescue;
}

/**
 * Where tokens go that have nowhere else to go: a new token store of their own per grant in the
 * state folder (`$XDG_STATE_HOME/oauth-cli/rotated/`), named after the token endpoint, the client
 * and the refresh token or code just spent, and never written over an existing file (`-2`, `-3`…),
 * so one grant's unspent refresh token is never lost to another's.
 */
export interface Rescue {
  readonly dir: string;
  /** The refresh token or code the request spent ("" when it spent none). */
  readonly spent: string;
}

export function rescueOf(ctx: Pick<Context, "env" | "homedir">, request: Parameters<typeof spentGrantOf>[0]): Rescue {
  return { dir: join(stateDir(ctx), "rotated"), spent: spentGrantOf(request)?.value ?? "" };
}

/** The first name a rescue file for this grant takes (taken already, the next is `-2`, …). */
export function rescuePath(rescue: Rescue, meta: StoreMeta): string {
  return newStorePath(rescue.dir, rescue.spent, meta);
}

const ERRNO_WORDS: Readonly<Record<string, string>> = {
  EACCES: "permission denied",
  EPERM: "not permitted",
  ENOSPC: "no space left on the device",
  EDQUOT: "over the disk quota",
  EROFS: "the file system is read-only",
  EISDIR: "a directory is in the way",
  ENOTDIR: "a part of the path is not a folder",
  EIO: "an input/output error",
};

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as NodeJS.ErrnoException).code ?? /\((E[A-Z]+)\)$/.exec(message)?.[1];
  return code ? `${ERRNO_WORDS[code] ?? "the write failed"} (${code})` : message;
}

/**
 * Saves tokens the server has just handed over. A failed write loses nothing: they go to the
 * rescue file instead, and if that fails too, the caller prints them whole (a rotated refresh
 * token may be the only copy left: RFC 9700 §2.2.2).
 */
export function saveTokens(reporter: StoreReporter, now: number, target: SaveTarget, tokens: TokenResult): SaveResult {
  try {
    saveLocked(reporter, target.path, tokens, target.meta, now, target.previous);
    return { kind: "saved", path: target.path };
  } catch (error) {
    const reason = reasonOf(error);
    try {
      const rescue = saveNewStore(target.rescue.dir, target.rescue.spent, tokens, target.meta, now);
      return { kind: "rescued", path: target.path, reason, rescue };
    } catch {
      // Nowhere on disk, then: stdout it is.
    }
    return { kind: "unsaved", path: target.path, reason };
  }
}

/**
 * Saves tokens that have no store to go to (refresh -o token, whose output has no room for a
 * rotated refresh token) straight into a rescue file of their own; "saved" names that file.
 */
export function saveToRescue(now: number, rescue: Rescue, meta: StoreMeta, tokens: TokenResult): Exclude<SaveResult, { kind: "rescued" }> {
  try {
    return { kind: "saved", path: saveNewStore(rescue.dir, rescue.spent, tokens, meta, now) };
  } catch (error) {
    return { kind: "unsaved", path: rescuePath(rescue, meta), reason: reasonOf(error) };
  }
}

/** Tokens received but not saved where asked (exit 5); the message says where they are instead. */
export class TokensNotSavedError extends CliError {
  /** @param carryOn the command that carries on from the rescue file (default: refresh --store FILE) */
  constructor(result: Exclude<SaveResult, { kind: "saved" }>, carryOn?: string) {
    const where = result.kind === "rescued" ? `they are saved in ${result.rescue} (mode 0600) instead` : "they were printed on stdout as JSON instead";
    super(ExitCode.notSaved, `could not save the tokens to ${result.path}: ${result.reason}; ${where}`, {
      hint: result.kind === "rescued"
        ? `Carry on from there (${carryOn ?? `oauth-cli refresh --store ${result.rescue}`}), or move that file to ${result.path} once it can be written.`
        : "Keep that output: the server may already have retired the old refresh token.",
    });
    this.name = "TokensNotSavedError";
  }
}

/**
 * With --store: under the store's lock, the request, then the tokens saved before anything else
 * happens (no trace, note or output comes first). Without a store, just the request. `vet`, when
 * given, sees the tokens first: false keeps them out of the store (an ID token that fails its checks).
 */
export async function sendIntoStore(
  session: Session,
  request: TokenRequest,
  store: StoreSettings | undefined,
  vet?: (tokens: TokenResult) => Promise<boolean>,
): Promise<{ step: TokenStep; saved?: SaveResult }> {
  if (!store) {
    const step = await sendTokenRequest(session, request);
    if (vet && step.outcome.kind === "tokens") await vet(step.outcome.tokens);
    return { step };
  }
  const meta = storeMetaOf(request.endpoints, request.client);
  return withStoreLock(session, store.path, lockWaitOf(session, store), async () => {
    const previous = readStoreFor(session, store.path);
    const step = await sendTokenRequest(session, request);
    if (step.outcome.kind !== "tokens") return { step };
    if (vet && !(await vet(step.outcome.tokens))) return { step };
    const saved = saveTokens(session, session.ctx.now(), { path: store.path, meta, previous, rescue: rescueOf(session.ctx, request) }, step.outcome.tokens);
    return { step, saved };
  });
}
