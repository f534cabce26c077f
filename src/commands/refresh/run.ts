import type { Context } from "../../context.js";
import { refreshRun } from "../../errors/facts.js";
import { explainFailure } from "../shared/diagnosis.js";
import { envValue } from "../shared/env.js";
import { printTokens } from "../shared/print.js";
import { checkRequired } from "../shared/required.js";
import { resolveOutputMode, resolveTokenTarget, sessionOptions } from "../shared/resolve.js";
import { rescueOf, saveToRescue, TokensNotSavedError } from "../shared/save-tokens.js";
import { Session } from "../shared/session.js";
import { resolveStoreSettings, storeMetaOf } from "../shared/store.js";
import { noteTokenStep, sendTokenRequest, type TokenRequest, traceTokenStep } from "../shared/token-request.js";
import { findGrantUse, recordSpentGrant, spentGrantOf } from "../shared/used-grants.js";
import { continueCommand } from "./carry-on.js";
import { type RefreshOptions, refreshRequirements } from "./flags.js";
import { refreshWithStore, rotatedAway } from "./with-store.js";

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
  checkRequired(refreshRequirements(undefined), opts, ctx.env);
  const given = opts.refreshToken ?? envValue(ctx.env, "OAUTH_REFRESH_TOKEN")!;
  const refreshToken = given === "-" ? await session.readStdin("--refresh-token", { secret: true }) : given;
  session.addSecret(refreshToken);
  const target = await resolveTokenTarget(session, opts);
  const request: TokenRequest = { ...target, grant: { grant_type: "refresh_token", refresh_token: refreshToken }, scope: opts.scope };
  const spent = spentGrantOf(request);
  const priorUse = spent && findGrantUse(ctx, spent.kind, spent.endpoint, spent.value);

  const step = await sendTokenRequest(session, request);
  const rotated = step.outcome.kind === "tokens" && rotatedAway(step.outcome.tokens, refreshToken);
  // -o token prints the access token alone: a rotated refresh token would have nowhere to go but a
  // file of its own, written before any output. Each grant gets its own (never overwritten), so
  // one run never loses another's refresh token.
  const meta = storeMetaOf(target.endpoints, target.client);
  const saved = rotated && mode === "token" && step.outcome.kind === "tokens" ? saveToRescue(ctx.now(), rescueOf(ctx, request), meta, step.outcome.tokens) : undefined;
  traceTokenStep(session, request, step);
  noteTokenStep(session, step);
  recordSpentGrant(ctx, spent, step);
  if (step.outcome.kind === "failed") {
    throw await explainFailure(session, request, step, { run: refreshRun(opts.refreshToken === undefined ? "env" : opts.refreshToken === "-" ? "stdin" : "argument"), spent, priorUse });
  }
  if (saved?.kind === "saved") {
    session.warn(`the server rotated the refresh token, and -o token prints only the access token: the new refresh token is saved in ${saved.path} (mode 0600). Carry on from it with: ${continueCommand(saved.path, opts, ctx.cwd, mode)}`);
  } else if (rotated && mode === "pretty") {
    session.note("the server rotated the refresh token: the one printed above replaces the old one, which no longer works");
  }
  await printTokens(session, step.outcome.tokens, saved?.kind === "unsaved" ? "json" : mode, mode === "json" ? { rotated } : {});
  if (saved && saved.kind !== "saved") throw new TokensNotSavedError(saved);
}
