import { ProtocolError } from "../errors/cli-error.js";
import type { HttpExchange, HttpRequest } from "../http/types.js";
import { bearerAuthorization, bearerChallengeError } from "./bearer.js";

/**
 * GET with the access token as a bearer token in the Authorization header, the one way every
 * OpenID provider must accept.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfoRequest
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export function buildUserinfoRequest(endpoint: string, accessToken: string, headers: readonly (readonly [string, string])[] = []): HttpRequest {
  return { method: "GET", url: endpoint, headers: { Accept: "application/json", ...Object.fromEntries(headers), Authorization: bearerAuthorization(accessToken) } };
}

export interface UserinfoResult {
  /** The claims, as sent. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** The response was a signed or encrypted JWT (application/jwt): shown, not verified. */
  readonly jwt: boolean;
}

/**
 * Status → a refusal explained from its WWW-Authenticate challenge → JSON object (or a JWT) →
 * `sub`, which every userinfo response must carry.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfoResponse
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfoError
 */
export function parseUserinfoResponse(exchange: HttpExchange): UserinfoResult {
  const response = exchange.response;
  if (!response) throw new ProtocolError("no response to parse", { exchange });
  const where = `the userinfo endpoint (HTTP ${response.status})`;
  if (response.status !== 200) {
    const refusal = bearerChallengeError(exchange, response);
    if (refusal) throw refusal;
    throw new ProtocolError(`${where} refused without a WWW-Authenticate challenge saying why`, {
      exchange,
      hint: "OpenID Connect Core §5.3.3: a refused userinfo request carries a WWW-Authenticate header (RFC 6750 §3). Run with -v to see the whole exchange.",
    });
  }
  const type = response.headers["content-type"] ?? "";
  if (/application\/jwt/i.test(type)) {
    const payload = response.body.trim().split(".")[1];
    try {
      const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8")) as unknown;
      if (typeof claims === "object" && claims !== null && !Array.isArray(claims)) return { claims: claims as Record<string, unknown>, jwt: true };
    } catch {
      // fall through: an encrypted (JWE) response has no readable payload
    }
    throw new ProtocolError(`${where} sent a JWT whose claims cannot be read (encrypted?)`, { exchange });
  }
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    throw new ProtocolError(`${where} did not send JSON (${type || "no content type"})`, { exchange });
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new ProtocolError(`${where} did not send a JSON object`, { exchange });
  const claims = body as Record<string, unknown>;
  if (typeof claims.sub !== "string" || claims.sub === "") {
    throw new ProtocolError(`the userinfo response's "sub" ${claims.sub === undefined ? "is missing" : "must be a non-empty string"}`, { exchange, hint: "OpenID Connect Core §5.3.2: the sub claim must always be returned." });
  }
  return { claims, jwt: false };
}
