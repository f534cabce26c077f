import type { HttpRequest } from "../http/types.js";
import { type AuthMethod, basicAuthorization, formEncode } from "./client-auth.js";

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
 * Builds the token request. Pure: no I/O, so the exact bytes can be traced and tested.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3 (authorization_code)
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6 (refresh_token)
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4.2 (client_credentials)
 */
export function buildTokenRequest(input: TokenRequestInput): HttpRequest {
  const fields: [string, string][] = Object.entries(input.grant);
  if (input.scope) fields.push(["scope", input.scope]);
  for (const [name, value] of input.params ?? []) fields.push([name, value]);

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
  for (const [name, value] of input.headers ?? []) headers[name] = value;
  return { method: "POST", url: input.tokenEndpoint, headers, body };
}
