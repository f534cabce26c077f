import type { Context } from "../../context.js";
import { envValue } from "../shared/env.js";
import { resourceParams } from "../shared/resource.js";
import { printTokens } from "../shared/print.js";
import { checkRequired } from "../shared/required.js";
import { resolveOutputMode, resolveTokenTarget, sessionOptions } from "../shared/resolve.js";
import { sendIntoStore, TokensNotSavedError } from "../shared/save-tokens.js";
import { Session } from "../shared/session.js";
import { resolveStoreSettings } from "../shared/store.js";
import { noteTokenStep, type TokenRequest, traceTokenStep } from "../shared/token-request.js";
import { findCachedClientToken } from "./cache.js";
import { CLIENT_CREDENTIALS_REQUIRED, type ClientCredentialsOptions } from "./flags.js";

/**
 * A token for the client itself, no user involved.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4.2
 */
export async function runClientCredentials(ctx: Context, opts: ClientCredentialsOptions): Promise<void> {
  const session = new Session(ctx, sessionOptions(opts));
  const mode = resolveOutputMode(opts, ctx);
  checkRequired(CLIENT_CREDENTIALS_REQUIRED, opts, ctx.env);
  const store = resolveStoreSettings(opts, ctx);
  const cached = store && findCachedClientToken(session, store, opts.clientId ?? envValue(ctx.env, "OAUTH_CLIENT_ID"), opts.scope, opts, resourceParams(opts.resource).map(([, uri]) => uri));
  if (cached) return printTokens(session, cached, mode, { from_cache: true });
  const target = await resolveTokenTarget(session, opts);
  const request: TokenRequest = { ...target, grant: { grant_type: "client_credentials" }, scope: opts.scope };
  const listed = target.endpoints.metadata?.scopes_supported;
  if (opts.scope === undefined && listed?.length) {
    session.note(`no --scope given: the token gets this client's default scope, which may be none; the server lists ${listed.join(" ")} (give --scope to choose)`);
  }

  const { step, saved } = await sendIntoStore(session, request, store);
  traceTokenStep(session, request, step);
  noteTokenStep(session, step);
  if (step.outcome.kind === "failed") {
    // What explains a failure is loaded only for one.
    const [{ explainFailure }, { clientCredentialsRun }] = await Promise.all([import("../shared/diagnosis.js"), import("../../errors/facts.js")]);
    throw await explainFailure(session, request, step, { run: clientCredentialsRun() });
  }
  await printTokens(session, step.outcome.tokens, saved?.kind === "unsaved" ? "json" : mode, store ? { from_cache: false } : {});
  if (saved && saved.kind !== "saved") throw new TokensNotSavedError(saved);
}
