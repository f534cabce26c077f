import { CliError, OAuthServerError } from "../../errors/cli-error.js";
import { type AuthorizationFacts, authorizationFacts, type CodeArrivalFacts, authorizeRedirectDiagnosis, authorizeRun } from "../../errors/facts.js";
import type { CallbackHandler } from "../../loopback/listener.js";
import { explainForPage, type Page, renderFailurePage, renderOAuthErrorPage, renderRejectedPage, renderSuccessPage } from "../../loopback/pages.js";
import { type CallbackExpectation, type CallbackOutcome, validateCallback } from "../../oauth/callback.js";
import type { Pkce } from "../../oauth/pkce.js";
import type { TokenResult } from "../../oauth/token-response.js";
import { redactForm } from "../../output/redact.js";
import { explainFailure } from "../shared/diagnosis.js";
import type { ClientConfig, Endpoints } from "../shared/resolve.js";
import { type SaveResult, sendIntoStore } from "../shared/save-tokens.js";
import type { Session } from "../shared/session.js";
import type { StoreSettings } from "../shared/store.js";
import { noteTokenStep, type TokenRequest, traceTokenStep } from "../shared/token-request.js";
import { findGrantUse, recordCodeArrival, recordSpentGrant, spentGrantOf } from "../shared/used-grants.js";
import { type IdTokenExpectation, type IdTokenVerdict, verifyIdToken } from "./id-token.js";

/** One authorization transaction: what was sent, so the response can be checked and the code redeemed. */
export interface AuthorizeFlow {
  readonly session: Session;
  readonly endpoints: Endpoints;
  readonly client: ClientConfig;
  /** The redirect_uri of the authorization request; the token request repeats it byte for byte (RFC 6749 §4.1.3). */
  readonly redirectUri: string;
  readonly state: string;
  readonly pkce: Pkce;
  readonly exchange: boolean;
  readonly headers: readonly (readonly [string, string])[];
  /** --store: the tokens are saved there before anything is printed. */
  readonly store?: StoreSettings;
  /** The scope the authorization request asked for, if any (for the diagnosis). */
  readonly scope?: string;
  /** What a returned ID token must match (nonce, issuer, client, keys). */
  readonly idToken: IdTokenExpectation;
  /** The code exchange carries `scope` too (--exchange-scope): some providers want it in every token request. */
  readonly exchangeScope?: boolean;
  /** Extra parameters for the code exchange only (--token-param, and --resource which goes to both). */
  readonly tokenParams?: readonly (readonly [string, string])[];
  /** ms since epoch, taken before the authorization URL is shown: no code of this flow is older. */
  readonly requestedAt: number;
  /** The request was pushed (PAR, RFC 9126): the browser carried only client_id and request_uri. */
  readonly pushed?: boolean;
}

export type AuthorizeResult =
  | { readonly kind: "tokens"; readonly tokens: TokenResult; readonly saved?: SaveResult; readonly idToken?: IdTokenVerdict }
  | { readonly kind: "code"; readonly code: string; readonly state: string; readonly iss?: string };

export function expectationOf(flow: AuthorizeFlow): CallbackExpectation {
  return {
    state: flow.state,
    issuer: flow.endpoints.issuer,
    issRequired: flow.endpoints.metadata?.authorization_response_iss_parameter_supported === true,
  };
}

/** Evidence for the diagnosis: the authorization request as sent, and when and how its response came back. */
function factsOf(flow: AuthorizeFlow, code: CodeArrivalFacts): AuthorizationFacts {
  return authorizationFacts({ code, redirectUri: flow.redirectUri, scope: flow.scope, pkce: flow.pkce, metadata: flow.endpoints.metadata });
}

/**
 * Turns a checked authorization response into the result: an error response becomes an OAuth error
 * (exit 1, explained); a code is redeemed at once with the same redirect_uri and the PKCE verifier.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.5
 */
export async function completeAuthorization(flow: AuthorizeFlow, outcome: Exclude<CallbackOutcome, { kind: "not-ours" }>, via: CodeArrivalFacts["via"]): Promise<AuthorizeResult> {
  const { session } = flow;
  const arrival: CodeArrivalFacts = { requestedAt: flow.requestedAt, arrivedAt: session.ctx.now(), via };
  if (outcome.kind === "error") {
    // A client registered for PAR only (RFC 9126 §6) refuses a plain request on the redirect.
    const wantsPar = !flow.pushed && /pushed authori[sz]ation request/i.test(outcome.report.error_description ?? "");
    throw new OAuthServerError(outcome.report, {
      diagnosis: authorizeRedirectDiagnosis(factsOf(flow, arrival)),
      ...(wantsPar ? { hint: "This client must push its authorization requests: add --par (RFC 9126)." } : {}),
    });
  }
  session.addSecret(outcome.code);
  if (outcome.issUnchecked) session.note(`the response names issuer "${outcome.iss}", which could not be checked: give --issuer to have it checked (RFC 9207)`);
  if (!flow.exchange) {
    // So a later `exchange` of this code knows how old it is and which redirect_uri it must repeat.
    const tokenEndpoint = flow.endpoints.tokenEndpoint;
    if (tokenEndpoint) recordCodeArrival(session.ctx, tokenEndpoint, outcome.code, { ...arrival, redirectUri: flow.redirectUri });
    return { kind: "code", code: outcome.code, state: outcome.state, iss: outcome.iss };
  }
  const grant: Record<string, string> = { grant_type: "authorization_code", code: outcome.code, redirect_uri: flow.redirectUri };
  if (flow.pkce.verifier !== undefined) grant.code_verifier = flow.pkce.verifier;
  const request: TokenRequest = {
    endpoints: flow.endpoints, client: flow.client, grant, headers: flow.headers,
    scope: flow.exchangeScope ? flow.scope : undefined, params: flow.tokenParams,
  };
  const spent = spentGrantOf(request);
  const priorUse = spent && findGrantUse(session.ctx, spent.kind, spent.endpoint, spent.value);
  const exchangeAt = session.ctx.now();

  // The ID token is checked before the tokens are saved: a forged one never reaches the store.
  let verdict: IdTokenVerdict | undefined;
  const vet = async (tokens: TokenResult) => (verdict = await verifyIdToken(session, flow.idToken, tokens)).ok;
  const { step, saved } = await sendIntoStore(session, request, flow.store, vet);
  traceTokenStep(session, request, step);
  noteTokenStep(session, step);
  recordSpentGrant(session.ctx, spent, step);
  if (step.outcome.kind === "failed") {
    throw await explainFailure(session, request, step, { run: authorizeRun(factsOf(flow, arrival), exchangeAt), spent, priorUse });
  }
  const checked = verdict as IdTokenVerdict | undefined;
  if (checked && !checked.ok) throw checked.error;
  return { kind: "tokens", tokens: step.outcome.tokens, saved, idToken: checked };
}

/** The page for a failed flow: OAuth errors explained from the catalogue, anything else as its message. */
export async function pageForError(error: unknown, flow: AuthorizeFlow): Promise<Page> {
  if (error instanceof OAuthServerError) {
    // Only the token endpoint's answer comes with an HTTP exchange; a redirect's error does not.
    const where = error.exchange ? "The token exchange failed" : "The provider refused";
    return renderOAuthErrorPage(error.report, await explainForPage(error.report), where);
  }
  if (error instanceof CliError) return renderFailurePage(error.message, error.details, error.hint);
  flow.session.warn(`unexpected failure while handling the redirect: ${String(error)}`);
  return renderFailurePage("oauth-cli failed while handling the redirect; the terminal has the details.");
}

/** Serves the callback path: not-ours → 400 and keep waiting; anything else ends the flow with its page. */
export function createCallbackHandler(flow: AuthorizeFlow): CallbackHandler<AuthorizeResult> {
  const expected = expectationOf(flow);
  const { session } = flow;
  return (params) => {
    if (session.options.verbose) session.traceText(`← redirect ${session.options.showSecrets ? params.toString() : redactForm(params.toString())}\n`);
    let outcome: CallbackOutcome;
    try {
      outcome = validateCallback(params, expected);
    } catch (error) {
      return { accepted: pageForError(error, flow).then((page) => ({ page, error })) };
    }
    if (outcome.kind === "not-ours") {
      session.warn(`refused a redirect (answered 400): ${outcome.reason}; still waiting for the real one`);
      return { keepWaiting: renderRejectedPage(outcome.reason) };
    }
    const accepted = outcome;
    return {
      accepted: (async () => {
        try {
          const result = await completeAuthorization(flow, accepted, "listener");
          return { page: renderSuccessPage({ exchanged: result.kind === "tokens" }), result };
        } catch (error) {
          return { page: await pageForError(error, flow), error };
        }
      })(),
    };
  };
}
