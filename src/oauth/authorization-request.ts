import { ReservedParameterError } from "./parameter-error.js";
import type { Pkce } from "./pkce.js";

export interface AuthorizationRequest {
  readonly authorizationEndpoint: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly state: string;
  readonly pkce: Pkce;
  readonly scope?: string;
  readonly prompt?: string;
  readonly loginHint?: string;
  readonly responseMode?: string;
  /** OpenID Connect: bound into the ID token, which must return it unchanged (replay protection). */
  readonly nonce?: string;
  /** Extra parameters, in order; none may be one of {@link AUTHORIZATION_REQUEST_PARAMETERS}. */
  readonly params?: readonly (readonly [string, string])[];
}

/** The parameters this request sets itself: an extra one with such a name is refused, not sent twice. */
export const AUTHORIZATION_REQUEST_PARAMETERS: readonly string[] = [
  "response_type", "client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method", "scope", "prompt", "login_hint", "response_mode", "nonce",
];

/**
 * The URL the browser opens: the endpoint's own query is kept (RFC 6749 §3.1), then
 * response_type=code, client_id, redirect_uri, scope, state, the PKCE challenge and the extras.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.3
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest (prompt, login_hint)
 * @see https://openid.net/specs/oauth-v2-multiple-response-types-1_0.html#ResponseModes (response_mode)
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest (nonce)
 */
export function buildAuthorizationUrl(request: AuthorizationRequest): string {
  const url = new URL(request.authorizationEndpoint);
  const query = url.searchParams;
  query.set("response_type", "code");
  query.set("client_id", request.clientId);
  query.set("redirect_uri", request.redirectUri);
  if (request.scope !== undefined && request.scope !== "") query.set("scope", request.scope);
  query.set("state", request.state);
  if (request.pkce.challenge !== undefined) {
    query.set("code_challenge", request.pkce.challenge);
    query.set("code_challenge_method", request.pkce.method);
  }
  if (request.prompt !== undefined) query.set("prompt", request.prompt);
  if (request.loginHint !== undefined) query.set("login_hint", request.loginHint);
  if (request.responseMode !== undefined) query.set("response_mode", request.responseMode);
  if (request.nonce !== undefined) query.set("nonce", request.nonce);
  for (const [name, value] of request.params ?? []) {
    if (AUTHORIZATION_REQUEST_PARAMETERS.includes(name)) throw new ReservedParameterError(name);
    query.append(name, value);
  }
  return url.href;
}
