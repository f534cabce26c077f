import type { IncomingHttpHeaders } from "node:http";
import { SANDBOX_CLIENTS } from "./clients.js";
import type { Upstream } from "./interactions.js";

/** The endpoints where a client authenticates (RFC 6749 §2.3, RFC 7662 §2.1, RFC 7009 §2.1). */
const CLIENT_AUTH_PATHS = new Set(["/token", "/token/introspection", "/token/revocation"]);

/**
 * oidc-provider treats client_secret_basic and client_secret_post as one family: a client
 * registered for either is let in with both. Real providers (Okta, Entra ID, Keycloak with
 * "client secret" vs "client secret in body") refuse the method the client is not registered
 * for, and that is exactly the failure users come here to reproduce. So the front checks the
 * registered method (RFC 7591 §2 token_endpoint_auth_method) before forwarding, and answers as
 * oidc-provider does for other mismatches: 401 invalid_client.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 */
export function authMethodMismatch(method: string | undefined, path: string, headers: IncomingHttpHeaders, body: Buffer): Upstream | undefined {
  if (method !== "POST" || !CLIENT_AUTH_PATHS.has(path)) return undefined;
  const form = /^application\/x-www-form-urlencoded/i.test(String(headers["content-type"] ?? "")) ? new URLSearchParams(body.toString("utf8")) : undefined;
  const basicId = basicClientId(headers.authorization);
  const usedBasic = basicId !== undefined;
  const usedPost = form?.has("client_secret") ?? false;
  const clientId = basicId ?? form?.get("client_id") ?? undefined;
  const client = SANDBOX_CLIENTS.find((c) => c.client_id === clientId);
  if (!client) return undefined;
  const registered = client.token_endpoint_auth_method;
  const used = usedBasic ? "client_secret_basic" : usedPost ? "client_secret_post" : undefined;
  // "none" clients and requests without a secret are oidc-provider's to judge, as before.
  if (used === undefined || registered === "none" || used === registered) return undefined;
  const payload = {
    error: "invalid_client",
    error_description: `client authentication failed (the client is registered for ${registered}, the request used ${used})`,
  };
  return {
    status: 401,
    headers: { "content-type": "application/json; charset=utf-8", "www-authenticate": 'Basic realm="sandbox"', "cache-control": "no-store" },
    body: Buffer.from(JSON.stringify(payload)),
  };
}

function basicClientId(authorization: string | undefined): string | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? "");
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  // RFC 6749 §2.3.1: the id is form-urlencoded before it goes into Basic.
  try {
    return decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, " "));
  } catch {
    return decoded.slice(0, colon);
  }
}
