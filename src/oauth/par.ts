import { OAuthServerError, ProtocolError } from "../errors/cli-error.js";
import type { HttpExchange } from "../http/types.js";
import { readJsonAnswer } from "./error-response.js";

/**
 * Pushed authorization requests (RFC 9126): the authorization request goes straight to the server,
 * client authenticated, and the browser only carries client_id and the request_uri it returns.
 * @see https://www.rfc-editor.org/rfc/rfc9126
 */

export interface PushedRequest {
  /** The body's parameters: the authorization request's, client_id left to the client authentication. */
  readonly fields: Record<string, string>;
  /** Repeated parameters (a --param given twice), beyond the first of each name. */
  readonly repeated: [string, string][];
  readonly scope?: string;
}

/**
 * The authorization URL's own parameters (not the endpoint's fixed query), split for a form body.
 * client_id is dropped here: the client authentication adds it (the caller does, beside a Basic header).
 * @see https://www.rfc-editor.org/rfc/rfc9126#section-2.1
 */
export function pushedRequestOf(authorizationUrl: string, authorizationEndpoint: string): PushedRequest {
  const own = new URL(authorizationEndpoint).searchParams;
  const fields: Record<string, string> = {};
  const repeated: [string, string][] = [];
  let scope: string | undefined;
  for (const [name, value] of new URL(authorizationUrl).searchParams) {
    if (name === "client_id" || own.getAll(name).includes(value)) continue;
    if (name === "scope") scope = value;
    else if (name in fields) repeated.push([name, value]);
    else fields[name] = value;
  }
  return { fields, repeated, ...(scope !== undefined ? { scope } : {}) };
}

/** What the browser opens after a push: the endpoint (its own query kept), client_id and request_uri only. */
export function pushedAuthorizationUrl(authorizationEndpoint: string, clientId: string, requestUri: string): string {
  const url = new URL(authorizationEndpoint);
  url.searchParams.set("client_id", clientId);
  url.searchParams.set("request_uri", requestUri);
  return url.href;
}

export interface ParResponse {
  readonly request_uri: string;
  readonly expires_in: number;
}

/**
 * Validates the push's answer: 201 with request_uri (string) and expires_in (number); an error
 * body is the server's OAuth error, as at the token endpoint (RFC 9126 §2.3).
 * @see https://www.rfc-editor.org/rfc/rfc9126#section-2.2
 * @see https://www.rfc-editor.org/rfc/rfc9126#section-2.3
 */
export function parseParResponse(exchange: HttpExchange): ParResponse {
  const response = exchange.response;
  if (!response) throw new ProtocolError("no response to parse", { exchange });
  const where = `the pushed authorization request endpoint (HTTP ${response.status})`;
  const { body, error } = readJsonAnswer(response);
  if (error) throw new OAuthServerError(error, { exchange });
  if (response.status < 200 || response.status >= 300) {
    throw new ProtocolError(`${where} failed without an OAuth error body`, { exchange, hint: "Re-run with -v to see the answer." });
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new ProtocolError(`${where} did not send a JSON object`, { exchange });
  const record = body as Record<string, unknown>;
  if (typeof record.request_uri !== "string" || record.request_uri === "") {
    throw new ProtocolError(`the pushed authorization response's "request_uri" is missing or not a string`, { exchange, hint: "See RFC 9126 §2.2." });
  }
  if (typeof record.expires_in !== "number" || !(record.expires_in > 0)) {
    throw new ProtocolError(`the pushed authorization response's "expires_in" is missing or not a positive number`, { exchange, hint: "See RFC 9126 §2.2." });
  }
  return { request_uri: record.request_uri, expires_in: record.expires_in };
}
