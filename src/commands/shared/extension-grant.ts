import { extensionGrantRun } from "../../errors/facts.js";
import type { OutputMode } from "../../output/format.js";
import { explainFailure } from "./diagnosis.js";
import { printTokens } from "./print.js";
import { sendIntoStore, TokensNotSavedError } from "./save-tokens.js";
import type { Session } from "./session.js";
import type { StoreSettings } from "./store.js";
import { noteTokenStep, type TokenRequest, traceTokenStep } from "./token-request.js";
import type { TokenResult } from "../../oauth/token-response.js";
import { peekJwt } from "../../output/format.js";

/** The grant's tokens that are JWTs: what -v shows of them instead of the value. */
const JWT_FIELDS = ["assertion", "subject_token", "actor_token"];

/**
 * An assertion or subject token is a secret: the trace redacts it whole. With -v, a JWT's header
 * and claims are what explain a refusal (wrong aud, expired exp), so they are shown, never the
 * signature (without it the token cannot be replayed).
 */
function traceJwtFields(session: Session, request: TokenRequest): void {
  if (!session.options.verbose || session.options.showSecrets) return;
  for (const field of JWT_FIELDS) {
    const value = request.grant[field];
    const claims = value === undefined ? undefined : peekJwt(value);
    if (value === undefined || claims === undefined) continue;
    // peekJwt reads the middle part: given the header twice, it decodes the header.
    const first = value.split(".")[0]!;
    const header = peekJwt(`${first}.${first}.`);
    session.traceText(`* ${field}: a JWT, signature redacted\n*   header ${JSON.stringify(header ?? {})}\n*   claims ${JSON.stringify(claims)}\n`);
  }
}

/**
 * Send → save → trace → notes → diagnose → print, for a grant the command line spells out
 * (token-exchange, grant): the same client auth, store, trace and error explanation as every
 * other token command. `check` sees the tokens before they are printed (notes about the answer).
 */
export async function runExtensionGrant(
  session: Session,
  command: "token-exchange" | "grant",
  request: TokenRequest,
  out: { readonly mode: OutputMode; readonly store?: StoreSettings; readonly check?: (tokens: TokenResult) => void },
): Promise<void> {
  const { step, saved } = await sendIntoStore(session, request, out.store);
  traceJwtFields(session, request);
  traceTokenStep(session, request, step);
  noteTokenStep(session, step);
  if (step.outcome.kind === "failed") throw await explainFailure(session, request, step, { run: extensionGrantRun(command) });
  out.check?.(step.outcome.tokens);
  await printTokens(session, step.outcome.tokens, saved?.kind === "unsaved" ? "json" : out.mode);
  if (saved && saved.kind !== "saved") throw new TokensNotSavedError(saved);
}
