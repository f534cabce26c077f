import type { Context } from "../../context.js";
import { exchangeRun } from "../../errors/facts.js";
import { explainFailure } from "../shared/diagnosis.js";
import { printTokens } from "../shared/print.js";
import { checkRequired } from "../shared/required.js";
import { resolveOutputMode, resolveTokenTarget, sessionOptions } from "../shared/resolve.js";
import { sendIntoStore, TokensNotSavedError } from "../shared/save-tokens.js";
import { Session } from "../shared/session.js";
import { readStoreFor, resolveStoreSettings } from "../shared/store.js";
import { noteTokenStep, type TokenRequest, traceTokenStep } from "../shared/token-request.js";
import { findGrantUse, recordSpentGrant, spentGrantOf } from "../shared/used-grants.js";
import { EXCHANGE_REQUIRED, type ExchangeOptions } from "./flags.js";

/**
 * Exchanges an authorization code for tokens.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.5
 */
export async function runExchange(ctx: Context, opts: ExchangeOptions): Promise<void> {
  const session = new Session(ctx, sessionOptions(opts));
  const mode = resolveOutputMode(opts, ctx);
  checkRequired(EXCHANGE_REQUIRED, opts, ctx.env);
  const store = resolveStoreSettings(opts, ctx);
  // A corrupt store stops the run before the single-use code is spent.
  if (store) readStoreFor(session, store.path);
  const code = opts.code === "-" ? await session.readStdin("--code", { secret: true }) : opts.code!;
  const verifier = opts.codeVerifier === "-" ? await session.readStdin("--code-verifier", { secret: true }) : opts.codeVerifier;
  const target = await resolveTokenTarget(session, opts);
  const grant: Record<string, string> = { grant_type: "authorization_code", code, redirect_uri: opts.redirectUri! };
  if (verifier !== undefined) grant.code_verifier = verifier;
  const request: TokenRequest = { ...target, grant, scope: opts.scope };
  const spent = spentGrantOf(request);
  const priorUse = spent && findGrantUse(ctx, spent.kind, spent.endpoint, spent.value);

  const { step, saved } = await sendIntoStore(session, request, store);
  traceTokenStep(session, request, step);
  noteTokenStep(session, step);
  recordSpentGrant(ctx, spent, step);
  if (step.outcome.kind === "failed") {
    throw await explainFailure(session, request, step, { run: exchangeRun({ redirectUri: opts.redirectUri!, codeVerifier: verifier }), spent, priorUse });
  }
  await printTokens(session, step.outcome.tokens, saved?.kind === "unsaved" ? "json" : mode);
  if (saved && saved.kind !== "saved") throw new TokensNotSavedError(saved);
}
