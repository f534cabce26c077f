import { randomUUID } from "node:crypto";
import { CliError, UsageError } from "../../errors/cli-error.js";
import { networkFailure } from "../../http/failure.js";
import { CLOCK_SKEW_LIMIT_S, clockSkewSeconds } from "../../errors/clock-skew.js";
import type { HttpExchange } from "../../http/types.js";
import { type AssertionClaims, buildAssertionClaims, signClientAssertion } from "../../oauth/client-assertion.js";
import { buildTokenRequest } from "../../oauth/token-request.js";
import { parseTokenResponse, type TokenResult } from "../../oauth/token-response.js";
import { SECRET_FIELDS } from "../../output/redact.js";
import { sendWithDpop } from "./dpop.js";
import { reservedHeaderError, withFlagNames } from "./parameter-flags.js";
import { checkTokenHeaders, type ClientConfig, type Endpoints } from "./resolve.js";
import type { Session } from "./session.js";

/** One token request: where, as whom, and the grant with its extras. */
export interface TokenRequest {
  readonly endpoints: Endpoints;
  readonly client: ClientConfig;
  /** grant_type and the grant's own parameters (code, redirect_uri, refresh_token, …). */
  readonly grant: Readonly<Record<string, string>>;
  readonly scope?: string;
  readonly params?: readonly (readonly [string, string])[];
  readonly headers?: readonly (readonly [string, string])[];
}

/** What came of it: tokens (with the parser's notes), or the failure as a value, not yet thrown. */
export type TokenOutcome =
  | { readonly kind: "tokens"; readonly tokens: TokenResult; readonly notes: readonly string[] }
  | { readonly kind: "failed"; readonly error: CliError };

/** The client assertion this request carried, as signed: for the trace and for explaining invalid_client. */
export interface SentAssertion {
  readonly header: Readonly<Record<string, unknown>>;
  readonly claims: AssertionClaims;
}

export interface TokenStep {
  /** The whole exchange, even on failure, so it can be traced. */
  readonly exchange: HttpExchange;
  /** Exchanges before it: the one a DPoP nonce was asked for in (RFC 9449 §8). */
  readonly earlier?: readonly HttpExchange[];
  /** The client assertion of the request that got the answer (a DPoP nonce retry signs a fresh one). */
  readonly assertion?: SentAssertion;
  readonly outcome: TokenOutcome;
  /** ms since epoch, when the answer (or the failure) arrived. */
  readonly receivedAt: number;
}

/**
 * Build → send → parse, and nothing else: no trace, no note, no store, no record. The command
 * does those, in its own order (a rotated refresh token is saved before anything is printed).
 * Only an interruption is thrown (exit 130); every other failure is in the outcome.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 */
export async function sendTokenRequest(session: Session, request: TokenRequest): Promise<TokenStep> {
  // Checked when the client was resolved; again here, so no command can send a header twice.
  checkTokenHeaders(request.headers ?? [], request.client.authMethod);
  const dpop = request.client.dpop;
  // The proof is made per request; a second one from --header would contradict it.
  const clash = dpop && (request.headers ?? []).find(([name]) => name.toLowerCase() === "dpop");
  if (clash) throw reservedHeaderError(clash[0]);
  let signed: (SentAssertion & { jwt: string }) | undefined;
  // Built per send: a DPoP nonce retry needs a fresh assertion too, since a jti is good once (RFC 7523 §3).
  const build = async () => {
    signed = await signAssertion(session, request);
    return withFlagNames(() =>
      buildTokenRequest({
        tokenEndpoint: request.endpoints.tokenEndpoint,
        grant: request.grant,
        clientId: request.client.clientId,
        clientSecret: request.client.clientSecret,
        authMethod: request.client.authMethod,
        clientAssertion: signed?.jwt,
        bodyFormat: request.client.bodyFormat,
        scope: request.scope,
        params: request.params,
        headers: request.headers,
      }),
    );
  };
  const { exchange, earlier } = dpop ? await sendWithDpop(session, dpop, build) : { exchange: await session.send(await build()), earlier: [] };
  const receivedAt = session.ctx.now();
  const sent = signed as (SentAssertion & { jwt: string }) | undefined;
  const assertion = sent && { header: sent.header, claims: sent.claims };
  // An oversized body still has a status and headers worth parsing (an error page, say).
  if (exchange.failure && !(exchange.failure.kind === "too-large" && exchange.response)) {
    return { exchange, earlier, receivedAt, assertion, outcome: { kind: "failed", error: networkFailure(exchange, "the token endpoint") } };
  }
  try {
    const { tokens, notes } = parseTokenResponse(exchange, receivedAt);
    return { exchange, earlier, receivedAt, assertion, outcome: { kind: "tokens", tokens, notes: dpop ? [...notes, ...dpopNotes(tokens)] : notes } };
  } catch (error) {
    if (error instanceof CliError) return { exchange, earlier, receivedAt, assertion, outcome: { kind: "failed", error } };
    throw error;
  }
}

/**
 * A fresh assertion for each request (a jti is good once): aud is the token endpoint the request
 * goes to, or the issuer, or the literal audience asked for.
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-3
 */
export async function signAssertion(
  session: Session,
  request: Pick<TokenRequest, "client" | "endpoints">,
  // Where the request goes when not to the token endpoint (the PAR endpoint), for the default audience.
  elsewhere?: string,
): Promise<(SentAssertion & { jwt: string }) | undefined> {
  const settings = request.client.assertion;
  if (settings === undefined) return undefined;
  const { clientId, clientSecret } = request.client;
  if (clientId === undefined) throw new Error("an assertion needs a client id (checked when the client was resolved)");
  const { endpoints } = request;
  // At another endpoint (PAR), the default audience is the issuer, as RFC 9126 §2 says it SHOULD be; the endpoint's own URL without one.
  const defaultAudience = elsewhere === undefined ? endpoints.tokenEndpoint : (endpoints.issuer ?? elsewhere);
  const audience = settings.audience === "token-endpoint" ? defaultAudience : settings.audience === "issuer" ? endpoints.issuer : settings.audience;
  if (audience === undefined) throw new UsageError("--assertion-audience issuer needs the issuer: give --issuer URL");
  const claims = buildAssertionClaims({ clientId, audience, jti: randomUUID(), nowMs: session.ctx.now() });
  const key = settings.key
    ? ({ kind: "private", key: settings.key.key, alg: settings.alg, kid: settings.kid } as const)
    : ({ kind: "secret", secret: clientSecret ?? "", alg: settings.alg } as const);
  const jwt = await signClientAssertion(claims, key);
  session.addSecret(jwt);
  const header = JSON.parse(Buffer.from(jwt.split(".")[0] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
  return { jwt, header, claims };
}

/** The grant's and the answer's secrets join the run's (never printed by a trace), then -v traces the exchange. */
export function traceTokenStep(session: Session, request: TokenRequest, step: TokenStep): void {
  for (const [name, value] of Object.entries(request.grant)) if (SECRET_FIELDS.has(name)) session.addSecret(value);
  if (step.outcome.kind === "tokens") {
    session.addSecret(step.outcome.tokens.access_token);
    session.addSecret(step.outcome.tokens.refresh_token);
    session.addSecret(step.outcome.tokens.id_token);
  }
  for (const exchange of step.earlier ?? []) session.trace(exchange);
  session.trace(step.exchange);
  // The assertion itself is redacted above; its header and claims are what one checks against the server.
  if (step.assertion && session.options.verbose) {
    session.traceText(`* client_assertion header ${JSON.stringify(step.assertion.header)}\n* client_assertion claims ${JSON.stringify(step.assertion.claims)} (signature redacted)\n`);
  }
}

/**
 * A server that ignores DPoP answers token_type Bearer: the access token is not bound to the key,
 * and a resource server expecting DPoP will refuse it. A refresh token may still be bound (a public
 * client's, RFC 9449 §5), so the note claims nothing about it, and the store keeps the key.
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-5
 */
function dpopNotes(tokens: TokenResult): string[] {
  if (tokens.token_type.toLowerCase() === "dpop") return [];
  return [`DPoP proofs were sent, but the server answered token_type "${tokens.token_type}", not "DPoP": the access token is not bound to the key (does the server support DPoP? RFC 9449 §5)`];
}

/** The parser's notes (a legacy envelope, a string expires_in, …) and a warning when the server's clock is off. */
export function noteTokenStep(session: Session, step: TokenStep): void {
  if (step.outcome.kind !== "tokens") return;
  for (const note of step.outcome.notes) session.note(note);
  const date = step.exchange.response?.headers.date;
  const skew = clockSkewSeconds(date, step.receivedAt);
  if (skew !== undefined && Math.abs(skew) > CLOCK_SKEW_LIMIT_S) {
    session.warn(`the server's clock (Date: ${date}) is ${Math.abs(skew)} s ${skew > 0 ? "ahead of" : "behind"} ours: tokens may look not yet valid or already expired, and JWT assertions may be refused`);
  }
}
