import { NetworkError, OAuthServerError, ProtocolError } from "../errors/cli-error.js";
import type { HttpExchange, HttpRequest, HttpResponse } from "../http/types.js";
import type { AuthMethod } from "./client-auth.js";
import { readJsonAnswer } from "./error-response.js";
import { buildTokenRequest } from "./token-request.js";

/** A token sent to an endpoint that manages it, as the client: introspection or revocation. */
export interface TokenManagementInput {
  readonly endpoint: string;
  readonly token: string;
  /** access_token or refresh_token (or another registered type): where the server looks first. */
  readonly tokenTypeHint?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly authMethod: AuthMethod;
  /** private_key_jwt / client_secret_jwt: the signed assertion, fresh for this request (RFC 7523 §3). */
  readonly clientAssertion?: string;
  readonly headers?: readonly (readonly [string, string])[];
}

/**
 * The request for both endpoints: `token` and `token_type_hint`, form-encoded, with the client
 * authenticating exactly as at the token endpoint (both RFCs point to RFC 6749 §2.3), so the
 * token request's builder makes it.
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.1
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1
 */
export function buildTokenManagementRequest(input: TokenManagementInput): HttpRequest {
  return buildTokenRequest({
    tokenEndpoint: input.endpoint,
    grant: { token: input.token, ...(input.tokenTypeHint !== undefined ? { token_type_hint: input.tokenTypeHint } : {}) },
    clientId: input.clientId,
    clientSecret: input.clientSecret,
    authMethod: input.authMethod,
    clientAssertion: input.clientAssertion,
    bodyFormat: "form",
    headers: input.headers,
  });
}

/** An introspection response: `active`, and every other field as sent (RFC 7662 §2.2 names). */
export interface IntrospectionResult {
  readonly active: boolean;
  readonly scope?: string;
  readonly client_id?: string;
  readonly username?: string;
  readonly token_type?: string;
  readonly exp?: number;
  readonly iat?: number;
  readonly nbf?: number;
  readonly sub?: string;
  readonly aud?: string | readonly string[];
  readonly iss?: string;
  readonly jti?: string;
  readonly [field: string]: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An error status: the RFC 6749 §5.2 error it carries (401 invalid_client, 400 unsupported_token_type…), else a protocol error. */
function failedStatus(exchange: HttpExchange, response: HttpResponse, where: string): Error {
  const { error: report } = readJsonAnswer(response);
  if (report) return new OAuthServerError(report, { exchange });
  const snippet = response.body.replace(/\s+/g, " ").trim().slice(0, 160);
  return new ProtocolError(`${where} answered HTTP ${response.status} without an OAuth error body${snippet ? `: ${snippet}` : ""}`, {
    exchange,
    hint: "An OAuth server answers errors with a JSON object holding \"error\" (RFC 6749 §5.2). Run with -v to see the whole exchange.",
  });
}

/**
 * Validates an introspection response in a fixed order: status → JSON object → `active` is a
 * boolean → the RFC's other fields have their types. Unknown fields are kept.
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.2
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.3 (errors)
 */
export function parseIntrospectionResponse(exchange: HttpExchange): IntrospectionResult {
  const response = exchange.response;
  if (!response) throw new ProtocolError("no response to parse", { exchange });
  const where = `the introspection endpoint (HTTP ${response.status})`;
  if (response.status !== 200) throw failedStatus(exchange, response, where);
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    throw new ProtocolError(`${where} did not send JSON (${response.headers["content-type"] ?? "no content type"})`, { exchange });
  }
  if (!isRecord(body)) throw new ProtocolError(`${where} did not send a JSON object`, { exchange });
  const fail = (field: string, rule: string) => new ProtocolError(`the introspection response's "${field}" ${rule}`, { exchange, hint: "See RFC 7662 §2.2 for the fields of an introspection response." });
  if (typeof body.active !== "boolean") throw fail("active", body.active === undefined ? "is missing (it is the one field RFC 7662 requires)" : `must be a boolean, got ${JSON.stringify(body.active)}`);
  for (const name of ["scope", "client_id", "username", "token_type", "sub", "iss", "jti"]) {
    if (body[name] !== undefined && typeof body[name] !== "string") throw fail(name, "must be a string");
  }
  for (const name of ["exp", "iat", "nbf"]) {
    if (body[name] !== undefined && typeof body[name] !== "number") throw fail(name, `must be a number of seconds since 1970 (NumericDate), got ${JSON.stringify(body[name])}`);
  }
  return body as IntrospectionResult;
}

/** What a revocation answer says beyond "done". */
export interface RevocationResult {
  readonly status: number;
}

/**
 * HTTP 200 is success, whether or not the token was valid (the server does not tell); an error
 * body is an OAuth error (unsupported_token_type among them); 503 asks to retry later.
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.2
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.2.1
 */
export function parseRevocationResponse(exchange: HttpExchange): RevocationResult {
  const response = exchange.response;
  if (!response) throw new ProtocolError("no response to parse", { exchange });
  if (response.status === 200) return { status: 200 };
  if (response.status === 503) {
    const retry = response.headers["retry-after"];
    throw new NetworkError(`the revocation endpoint answered HTTP 503: it could not revoke the token now${retry ? ` (Retry-After: ${retry})` : ""}`, {
      exchange,
      hint: "RFC 7009 §2.2.1: the token may still be valid. Run the same command again later.",
    });
  }
  throw failedStatus(exchange, response, `the revocation endpoint (HTTP ${response.status})`);
}
