import { type DiagnosisContext, OAuthServerError } from "../errors/cli-error.js";
import { raiseNetworkFailure } from "../http/failure.js";
import type { HttpExchange } from "../http/types.js";
import { buildTokenRequest } from "../oauth/token-request.js";
import { parseTokenResponse, type TokenResult } from "../oauth/token-response.js";
import { formatTokens, type OutputMode } from "../output/format.js";
import { SECRET_FIELDS } from "../output/redact.js";
import { styleFor } from "../output/style.js";
import { discover, type ServerMetadata } from "../oauth/discovery.js";
import type { ClientConfig, Endpoints } from "./options.js";
export { NETWORK_HINTS, raiseNetworkFailure } from "../http/failure.js";
import { findGrantUse, type GrantKind, recordGrantUse } from "./used-grants.js";
import type { Session } from "./session.js";

export interface TokenCall {
  readonly endpoints: Endpoints;
  readonly client: ClientConfig;
  readonly grant: Readonly<Record<string, string>>;
  readonly scope?: string;
  readonly params?: readonly (readonly [string, string])[];
  readonly headers?: readonly (readonly [string, string])[];
  /** What the command knows that could explain a failure (issue: diagnosis from context). */
  readonly diagnosis: DiagnosisContext;
  /**
   * Called with the tokens straight after parsing, before any note, record or output: a rotated
   * refresh token must reach the disk first (RFC 9700 §2.2.2; `--store`).
   */
  readonly persist?: (tokens: TokenResult) => void;
}

export interface TokenOutcome {
  readonly tokens: TokenResult;
  readonly exchange: HttpExchange;
}

/** Build → send (traced) → parse. On an OAuth error, the diagnosis facts travel with it. */
export async function requestTokens(session: Session, call: TokenCall): Promise<TokenOutcome> {
  for (const [name, value] of Object.entries(call.grant)) if (SECRET_FIELDS.has(name)) session.addSecret(value);
  const request = buildTokenRequest({
    tokenEndpoint: call.endpoints.tokenEndpoint,
    grant: call.grant,
    clientId: call.client.clientId,
    clientSecret: call.client.clientSecret,
    authMethod: call.client.authMethod,
    bodyFormat: call.client.bodyFormat,
    scope: call.scope,
    params: call.params,
    headers: call.headers,
  });
  const grant = spentGrant(call);
  const priorUse = grant && findGrantUse(session.ctx, grant.kind, call.endpoints.tokenEndpoint, grant.value);
  // The trace waits until the tokens are saved: nothing, not even -v output, comes before that.
  const exchange = await session.send(request, { deferTrace: true });
  if (exchange.failure && !(exchange.failure.kind === "too-large" && exchange.response)) {
    session.trace(exchange);
    raiseNetworkFailure(exchange, "the token endpoint");
  }
  const receivedAt = session.ctx.now();
  try {
    const parsed = parseTokenResponse(exchange, receivedAt);
    call.persist?.(parsed.tokens);
    session.addSecret(parsed.tokens.access_token);
    session.addSecret(parsed.tokens.refresh_token);
    session.addSecret(parsed.tokens.id_token);
    session.trace(exchange);
    for (const note of parsed.notes) session.note(note);
    const skew = clockSkewSeconds(exchange.response?.headers.date, receivedAt);
    if (skew !== undefined && Math.abs(skew) > CLOCK_SKEW_LIMIT_S) {
      session.warn(`the server's clock (Date: ${exchange.response?.headers.date}) is ${Math.abs(skew)} s ${skew > 0 ? "ahead of" : "behind"} ours: tokens may look not yet valid or already expired, and JWT assertions may be refused`);
    }
    if (grant) {
      const rotated = grant.kind === "refresh_token" ? parsed.tokens.refresh_token !== undefined && parsed.tokens.refresh_token !== grant.value : undefined;
      // After the caller's own synchronous work (the token store's save): a kill between the provider's
      // answer and that save must not be made likelier by this bookkeeping write.
      setImmediate(() => recordGrantUse(session.ctx, grant.kind, call.endpoints.tokenEndpoint, grant.value, { at: receivedAt, outcome: "tokens", ...(rotated !== undefined && { rotated }) }));
    }
    return { tokens: parsed.tokens, exchange };
  } catch (error) {
    session.trace(exchange);
    if (error instanceof OAuthServerError) {
      if (grant) recordGrantUse(session.ctx, grant.kind, call.endpoints.tokenEndpoint, grant.value, { at: receivedAt, outcome: error.report.error || "error" });
      const facts: Record<string, unknown> = {
        ...call.diagnosis.facts,
        endpoints: call.endpoints,
        client: summariseClient(call.client),
        scope: call.scope,
        grant_type: call.grant.grant_type,
        receivedAt,
        ...(grant && { grantRecord: { kind: grant.kind, usedBefore: priorUse !== undefined, ...priorUse } }),
      };
      facts.metadata ??= call.endpoints.metadata ?? (await lateMetadata(session, call.endpoints, error.report.error));
      error.diagnosis = { command: call.diagnosis.command, facts };
    }
    throw error;
  }
}

/** Above this, a difference between the server's Date header and our clock is worth saying. */
export const CLOCK_SKEW_LIMIT_S = 60;

/** Server clock minus ours, in whole seconds; undefined without a readable Date header. */
export function clockSkewSeconds(date: string | undefined, now: number): number | undefined {
  const server = date === undefined ? Number.NaN : Date.parse(date);
  return Number.isNaN(server) ? undefined : Math.round((server - now) / 1000);
}

/** The code or refresh token this call spends, for the record of used grants (see used-grants.ts). */
function spentGrant(call: TokenCall): { kind: GrantKind; value: string } | undefined {
  if (call.grant.grant_type === "authorization_code" && call.grant.code) return { kind: "code", value: call.grant.code };
  if (call.grant.grant_type === "refresh_token" && call.grant.refresh_token) return { kind: "refresh_token", value: call.grant.refresh_token };
  return undefined;
}

/** Errors that discovery metadata can explain (auth methods, grant types, scopes). */
const METADATA_ERRORS = new Set(["invalid_client", "unauthorized_client", "unsupported_grant_type", "invalid_scope"]);

/**
 * With --token-endpoint there was no discovery; when --issuer is known, fetch it now, on the error
 * path only, so the diagnosis can compare what was asked with what the server advertises.
 */
async function lateMetadata(session: Session, endpoints: Endpoints, error: string): Promise<ServerMetadata | undefined> {
  if (!endpoints.issuer || !METADATA_ERRORS.has(error)) return undefined;
  try {
    return await discover(endpoints.issuer, (url) => session.get(url));
  } catch {
    return undefined; // the error being explained matters more than a failed look-up
  }
}

function summariseClient(client: ClientConfig): Record<string, unknown> {
  return {
    clientId: client.clientId,
    authMethod: client.authMethod,
    bodyFormat: client.bodyFormat,
    hasSecret: client.clientSecret !== undefined,
    secretSource: client.secretSource,
    secretHasWhitespace: client.secretHasWhitespace,
  };
}

export async function printTokens(session: Session, tokens: TokenResult, mode: OutputMode, extra: Record<string, unknown> = {}): Promise<void> {
  const style = await styleFor(session.ctx, session.ctx.stdout);
  session.ctx.stdout.write(formatTokens(tokens, mode, style, extra));
}
