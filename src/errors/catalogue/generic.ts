import type { Cause } from "../types.js";
import type { StatusAdvice } from "./types.js";

const RETRY: Cause = { id: "server-fault", text: "A fault or outage at the provider.", test: "Retry the same command once; then check the provider's status page." };

const ADVICE: Readonly<Record<number, StatusAdvice>> = {
  400: {
    meaning: "Bad Request: the server rejected the request's content. OAuth token endpoints use 400 for most errors (RFC 6749 §5.2).",
    causes: [
      { id: "missing-parameter", text: "A parameter is missing, repeated or malformed.", test: "Inspect the request with -v; add what is missing with `--param`." },
      { id: "wrong-body-format", text: "The body format is not what the endpoint expects (form vs JSON).", test: "Retry with `--body-format form` and `--body-format json`." },
    ],
    nextSteps: ["Read the response body; it usually has error and error_description."],
  },
  401: {
    meaning: "Unauthorized: client authentication failed (token endpoint) or the access token was rejected (resource server, RFC 6750 §3.1).",
    causes: [
      { id: "wrong-secret", text: "Wrong client credentials.", test: "Check `--client-id` and `--client-secret-file`." },
      { id: "wrong-auth-method", text: "The client authentication method is not the one registered.", test: "Try `--auth-method client_secret_post` and `--auth-method client_secret_basic`." },
      { id: "access-token-expired", text: "At an API: the access token expired or is for another audience.", test: "Get a new token with `oauth-cli refresh`." },
    ],
    nextSteps: ["Read the WWW-Authenticate header (shown with -v)."],
  },
  403: {
    meaning: "Forbidden: authenticated but not allowed (missing scope, policy, blocked client or IP). Some providers (Auth0) use 403 for invalid_grant.",
    causes: [
      { id: "scope-not-granted", text: "The token lacks a scope or role the API requires.", test: "Request it with `--scope` and check the granted scope." },
      { id: "policy-blocked", text: "A policy blocks this client, user, IP or country.", test: "Try from another network or user; check provider logs." },
    ],
    nextSteps: ["Check the scope and roles in the token and the API's requirements."],
  },
  404: {
    meaning: "Not Found: the URL does not exist — usually a wrong endpoint path, tenant or realm.",
    causes: [{ id: "wrong-endpoint-url", text: "The endpoint URL, tenant id or realm name is wrong.", test: "Use `--issuer` discovery instead of hand-written `--token-endpoint`." }],
    nextSteps: ["Fetch /.well-known/openid-configuration from the issuer and use the endpoints it lists."],
  },
  405: {
    meaning: "Method Not Allowed: wrong HTTP method. The token and PAR endpoints take POST only (RFC 6749 §3.2, RFC 9126 §2.3).",
    causes: [{ id: "wrong-http-method", text: "GET was used where POST is required, or the reverse.", test: "Check the method in the -v trace." }],
    nextSteps: ["Send POST to token, PAR, revocation and introspection endpoints."],
  },
  413: {
    meaning: "Payload Too Large: the request is too big (RFC 9126 §2.3 lists it for PAR).",
    causes: [{ id: "request-too-large", text: "Too many scopes, a huge request object or authorization_details.", test: "Retry with fewer `--scope` / `--param` values." }],
    nextSteps: ["Shrink the request; move large content to PAR or a request_uri."],
  },
  415: {
    meaning: "Unsupported Media Type: the Content-Type of the body is not accepted.",
    causes: [{ id: "wrong-body-format", text: "Form body sent where JSON is required, or the reverse.", test: "Retry with `--body-format json` or `--body-format form`." }],
    nextSteps: ["RFC 6749 uses application/x-www-form-urlencoded; some providers want JSON."],
  },
  429: {
    meaning: "Too Many Requests: rate limited (RFC 9126 §2.3 lists it for PAR).",
    causes: [{ id: "rate-limited", text: "Too many requests from this client or IP.", test: "Wait for Retry-After (shown with -v) and retry." }],
    nextSteps: ["Back off exponentially; cache tokens instead of requesting new ones."],
  },
};

const SERVER: StatusAdvice = {
  meaning: "Server error: the provider (or a proxy in front of it) failed. Not caused by your request, usually.",
  causes: [RETRY, { id: "proxy-error", text: "A gateway or proxy failed (502/503/504).", test: "Retry; check the Server and Via headers with -v." }],
  nextSteps: ["Retry with backoff.", "Report with the request id and time if it persists."],
};

const OTHER: StatusAdvice = {
  meaning: "An unexpected HTTP status for an OAuth endpoint.",
  causes: [{ id: "unexpected-status", text: "A proxy, captive portal or wrong URL answered instead of the authorization server.", test: "Inspect the full response with -v." }],
  nextSteps: ["Check the URL and whether the body is from the provider at all."],
};

/** Advice for a status when the body carries no known OAuth error code. */
export function genericAdviceForStatus(status: number): StatusAdvice {
  const exact = ADVICE[status];
  if (exact) return exact;
  if (status >= 500 && status <= 599) return SERVER;
  if (status >= 400 && status <= 499) return ADVICE[400] ?? OTHER;
  return OTHER;
}
