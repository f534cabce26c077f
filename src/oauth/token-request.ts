import type { HttpRequest } from "../http/types.js";
import { type AuthMethod, basicAuthorization, formEncode, JWT_AUTH_METHODS, JWT_BEARER_ASSERTION_TYPE } from "./client-auth.js";
import { ReservedParameterError } from "./parameter-error.js";

export type BodyFormat = "form" | "json";

export interface TokenRequestInput {
  readonly tokenEndpoint: string;
  /** grant_type and the grant's own parameters (code, redirect_uri, refresh_token, …). */
  readonly grant: Readonly<Record<string, string>>;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly authMethod: AuthMethod;
  /** The signed JWT for client_secret_jwt and private_key_jwt (RFC 7523 §2.2). */
  readonly clientAssertion?: string;
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
 * client_assertion is not here: without a JWT auth method, --param may still send a hand-made one
 * (buildTokenRequest refuses it when we sign our own).
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
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.2 (client_assertion)
 */
export function buildTokenRequest(input: TokenRequestInput): HttpRequest {
  const fields: [string, string][] = Object.entries(input.grant);
  if (input.scope) fields.push(["scope", input.scope]);
  const signs = JWT_AUTH_METHODS.includes(input.authMethod);
  for (const [name, value] of input.params ?? []) {
    if (TOKEN_REQUEST_PARAMETERS.includes(name) || (signs && (name === "client_assertion" || name === "client_assertion_type"))) {
      throw new ReservedParameterError(name, "the token request");
    }
    fields.push([name, value]);
  }

  const headers: Record<string, string> = { Accept: "application/json" };
  if (input.authMethod === "client_secret_basic") {
    if (input.clientId === undefined || input.clientSecret === undefined) {
      throw new Error("client_secret_basic needs a client id and a secret");
    }
    headers.Authorization = basicAuthorization(input.clientId, input.clientSecret);
  } else if (signs) {
    if (input.clientAssertion === undefined) throw new Error(`${input.authMethod} needs a signed client assertion`);
    // client_id too: optional with an assertion, but some servers look the client up by it first.
    if (input.clientId !== undefined) fields.push(["client_id", input.clientId]);
    fields.push(["client_assertion_type", JWT_BEARER_ASSERTION_TYPE], ["client_assertion", input.clientAssertion]);
  } else if (input.clientId !== undefined) {
    // none, client_secret_post, and the mTLS methods, which prove the client in the TLS handshake (RFC 8705 §2).
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
