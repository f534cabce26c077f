import { createHash } from "node:crypto";
import { join } from "node:path";
import type { Context } from "../../context.js";
import { CliError, ExitCode } from "../../errors/cli-error.js";
import type { TokenResult } from "../../oauth/token-response.js";
import { loadStore, saveLocked, type StoredTokenSet, type StoreMeta, withStoreLock } from "../../store/index.js";
import type { Session } from "./session.js";
import { type StoreSettings, storeMetaOf } from "./store.js";
import { sendTokenRequest, type TokenRequest, type TokenStep } from "./token-request.js";
import { stateDir } from "./used-grants.js";

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
  /** Where they go when `path` cannot take them (see {@link rescuePath}). */
  readonly rescue: string;
}

/**
 * A token store of its own per token endpoint and client, in the state folder
 * (`$XDG_STATE_HOME/oauth-cli/rotated/`): where tokens go that have nowhere else to go.
 */
export function rescuePath(ctx: Pick<Context, "env" | "homedir">, meta: StoreMeta): string {
  const key = createHash("sha256").update(`${meta.tokenEndpoint}\n${meta.clientId ?? ""}`).digest("hex").slice(0, 16);
  return join(stateDir(ctx), "rotated", `${key}.json`);
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
export function saveTokens(now: number, target: SaveTarget, tokens: TokenResult): SaveResult {
  try {
    saveLocked(target.path, tokens, target.meta, now, target.previous);
    return { kind: "saved", path: target.path };
  } catch (error) {
    const reason = reasonOf(error);
    if (target.rescue !== target.path) {
      try {
        saveLocked(target.rescue, tokens, target.meta, now, undefined);
        return { kind: "rescued", path: target.path, reason, rescue: target.rescue };
      } catch {
        // Nowhere on disk, then: stdout it is.
      }
    }
    return { kind: "unsaved", path: target.path, reason };
  }
}

/** Tokens received but not saved where asked (exit 5); the message says where they are instead. */
export class TokensNotSavedError extends CliError {
  constructor(result: Exclude<SaveResult, { kind: "saved" }>) {
    const where = result.kind === "rescued" ? `they are saved in ${result.rescue} (mode 0600) instead` : "they were printed on stdout as JSON instead";
    super(ExitCode.notSaved, `could not save the tokens to ${result.path}: ${result.reason}; ${where}`, {
      hint: result.kind === "rescued"
        ? `Carry on from there (oauth-cli refresh --store ${result.rescue}), or move that file to ${result.path} once it can be written.`
        : "Keep that output: the server may already have retired the old refresh token.",
    });
    this.name = "TokensNotSavedError";
  }
}

/**
 * With --store: under the store's lock, the request, then the tokens saved before anything else
 * happens (no trace, note or output comes first). Without a store, just the request.
 */
export async function sendIntoStore(session: Session, request: TokenRequest, store: StoreSettings | undefined): Promise<{ step: TokenStep; saved?: SaveResult }> {
  if (!store) return { step: await sendTokenRequest(session, request) };
  const meta = storeMetaOf(request.endpoints, request.client);
  return withStoreLock(session, store.path, store.lockTimeoutMs, async () => {
    const previous = loadStore(session, store.path);
    const step = await sendTokenRequest(session, request);
    if (step.outcome.kind !== "tokens") return { step };
    const saved = saveTokens(session.ctx.now(), { path: store.path, meta, previous, rescue: rescuePath(session.ctx, meta) }, step.outcome.tokens);
    return { step, saved };
  });
}
