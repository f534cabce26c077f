import type { HttpRequest } from "../http/types.js";
import { type AuthMethod, basicAuthorization, formEncode } from "./client-auth.js";
import { ReservedParameterError } from "./parameter-error.js";

export type BodyFormat = "form" | "json";

export interface TokenRequestInput {
  readonly tokenEndpoint: string;
  /** grant_type and the grant's own parameters (code, redirect_uri, refresh_token, …). */
  readonly grant: Readonly<Record<string, string>>;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly authMethod: AuthMethod;
  readonly bodyFormat: BodyFormat;
  readonly scope?: string;
  /** Extra parameters (--param): audience, resource, … Repeated names stay repeated. */
  readonly params?: readonly (readonly [string, string])[];
  /** Extra headers (--header). */
  readonly headers?: readonly (readonly [string, string])[];
}

/**
 * The parameters our token requests set themselves: the grants' own, scope, and the client's
 * identification and authentication. An extra parameter with such a name would be sent twice,
 * which the protocol forbids.
 * client_assertion is not here: nothing sets it yet, so --param is the way to send one.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2 ("MUST NOT be included more than once")
 */
export const TOKEN_REQUEST_PARAMETERS: readonly string[] = [
  "grant_type", "code", "redirect_uri", "code_verifier", "refresh_token", "scope", "client_id", "client_secret",
];

/**
 * The headers a token request sets from other settings: the body's type and length, and
 * Authorization when the client authenticates with HTTP Basic. Another value for one of them
 * would contradict the body, or add a second client authentication (RFC 6749 §2.3).
 * Accept is not here: a different one replaces ours.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3
 */
export function tokenRequestHeaders(authMethod: AuthMethod): readonly string[] {
  return authMethod === "client_secret_basic" ? ["Content-Type", "Content-Length", "Authorization"] : ["Content-Type", "Content-Length"];
}

/** Sets a header, replacing one of the same name in any letter case: HTTP header names are case-insensitive (RFC 9110 §5.1). */
function setHeader(headers: Record<string, string>, name: string, value: string): void {
  for (const existing of Object.keys(headers)) if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
  headers[name] = value;
}

/**
 * Builds the token request. Pure: no I/O, so the exact bytes can be traced and tested.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3 (authorization_code)
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6 (refresh_token)
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4.2 (client_credentials)
 */
export function buildTokenRequest(input: TokenRequestInput): HttpRequest {
  const fields: [string, string][] = Object.entries(input.grant);
  if (input.scope) fields.push(["scope", input.scope]);
  for (const [name, value] of input.params ?? []) {
    if (TOKEN_REQUEST_PARAMETERS.includes(name)) throw new ReservedParameterError(name, "the token request");
    fields.push([name, value]);
  }

  const headers: Record<string, string> = { Accept: "application/json" };
  if (input.authMethod === "client_secret_basic") {
    if (input.clientId === undefined || input.clientSecret === undefined) {
      throw new Error("client_secret_basic needs a client id and a secret");
    }
    headers.Authorization = basicAuthorization(input.clientId, input.clientSecret);
  } else if (input.clientId !== undefined) {
    fields.push(["client_id", input.clientId]);
    if (input.authMethod === "client_secret_post" && input.clientSecret !== undefined) {
      fields.push(["client_secret", input.clientSecret]);
    }
  }

  let body: string;
  if (input.bodyFormat === "json") {
    headers["Content-Type"] = "application/json";
    const object: Record<string, string | string[]> = {};
    for (const [name, value] of fields) {
      const prior = object[name];
      object[name] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
    }
    body = JSON.stringify(object);
  } else {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    body = fields.map(([name, value]) => `${formEncode(name)}=${formEncode(value)}`).join("&");
  }
  for (const [name, value] of input.headers ?? []) setHeader(headers, name, value);
  return { method: "POST", url: input.tokenEndpoint, headers, body };
}
