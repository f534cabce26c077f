import { type DiagnosisContext, NetworkError, OAuthServerError } from "../errors/cli-error.js";
import type { HttpExchange } from "../http/types.js";
import { buildTokenRequest } from "../oauth/token-request.js";
import { parseTokenResponse, type TokenResult } from "../oauth/token-response.js";
import { formatTokens, type OutputMode } from "../output/format.js";
import { SECRET_FIELDS } from "../output/redact.js";
import { styleFor } from "../output/style.js";
import type { ClientConfig, Endpoints } from "./options.js";
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
}

export interface TokenOutcome {
  readonly tokens: TokenResult;
  readonly exchange: HttpExchange;
}

const NETWORK_HINTS: Record<string, string> = {
  refused: "Nothing listens there: check the host and port, or that the server is running.",
  dns: "Check the host name for typos, or your DNS/VPN.",
  timeout: "The server did not answer in time: raise --timeout, or check a proxy (HTTPS_PROXY/NO_PROXY) or firewall.",
  tls: "The certificate could not be verified: give the issuing CA with --ca-file PATH (or NODE_EXTRA_CA_CERTS).",
  reset: "The connection dropped: a proxy or load balancer in between may be closing it.",
};

/** Throws the right error for a failed transport, naming the URL. */
export function raiseNetworkFailure(exchange: HttpExchange, what: string): never {
  const failure = exchange.failure!;
  if (failure.kind === "too-large") {
    throw new NetworkError(`${what} at ${exchange.request.url}: ${failure.message}`, { exchange });
  }
  throw new NetworkError(`could not reach ${what} at ${exchange.request.url}: ${failure.message}${failure.code ? ` (${failure.code})` : ""}`, {
    exchange,
    hint: NETWORK_HINTS[failure.kind],
  });
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
  const exchange = await session.send(request);
  if (exchange.failure && !(exchange.failure.kind === "too-large" && exchange.response)) raiseNetworkFailure(exchange, "the token endpoint");
  try {
    const parsed = parseTokenResponse(exchange, session.ctx.now());
    for (const note of parsed.notes) session.note(note);
    session.addSecret(parsed.tokens.access_token);
    session.addSecret(parsed.tokens.refresh_token);
    session.addSecret(parsed.tokens.id_token);
    return { tokens: parsed.tokens, exchange };
  } catch (error) {
    if (error instanceof OAuthServerError) {
      error.diagnosis = {
        command: call.diagnosis.command,
        facts: { ...call.diagnosis.facts, endpoints: call.endpoints, client: summariseClient(call.client), scope: call.scope, grant_type: call.grant.grant_type },
      };
    }
    throw error;
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
