import type { Cause, SpecLink } from "../types.js";
import { builtOnFirstUse, checkClaims } from "./tools.js";
import * as C from "./causes.js";
import { COGNITO_TOKEN, GOOGLE_RT_EXPIRY, rfc } from "./links.js";
import { phrase } from "./match.js";
import type { DescriptionRule } from "./types.js";

function r(
  provider: string,
  id: string,
  error: string | undefined,
  text: string | RegExp,
  httpStatus: readonly number[] | undefined,
  meaning: string,
  causes: readonly Cause[],
  nextSteps: readonly string[],
  spec: SpecLink,
  source: string,
): DescriptionRule {
  const base = { id: `${provider}-${id}`, provider, match: typeof text === "string" ? phrase(text) : text, meaning, causes, nextSteps, spec, source };
  return { ...base, ...(error ? { error } : {}), ...(httpStatus ? { httpStatus } : {}) };
}

const G = "Google Identity docs; reference/oauth-errors.md (Google strings)";
const KC = "Keycloak token endpoint messages (well-known; reference/oauth-errors.md)";
const OKTA = "Okta support: refresh token invalid or expired; Okta token endpoint messages";
const AUTH0 = "Auth0 token endpoint behaviour (403 for invalid_grant)";
const SF = "Salesforce OAuth token endpoint messages (well-known integration docs)";
const RE_AUTH = "Sign in again with `oauth-cli authorize`.";
const SPRING = { name: "Spring Authorization Server: loopback redirect rule (RFC 8252 §7.3)", url: "https://www.rfc-editor.org/rfc/rfc8252#section-7.3" };

export const providerRules = builtOnFirstUse("provider rules", (): readonly DescriptionRule[] => [
  // Google
  r("google", "token-expired-or-revoked", "invalid_grant", "Token has been expired or revoked", [400],
    "Google will not accept this refresh token any more.",
    [C.CONSENT_REVOKED,
      { ...C.REFRESH_TOKEN_EXPIRED, text: "The app is in Testing publishing status (refresh tokens last 7 days), or the token was unused for 6 months." },
      C.PASSWORD_CHANGED,
      { id: "token-limit", text: "More than 100 refresh tokens for this account and client: the oldest was silently invalidated.", test: "Reuse stored refresh tokens instead of signing in repeatedly." },
      { id: "admin-policy", text: "A Workspace admin policy (admin_policy_enforced) or session control (invalid_rapt) applies.", test: "Check error_subtype in the response (-v)." }],
    [RE_AUTH, "Publish the OAuth consent screen to Production if it is in Testing."], GOOGLE_RT_EXPIRY, G),
  r("google", "code-already-redeemed", "invalid_grant", "Code was already redeemed", [400],
    "The authorization code was already exchanged.", [C.CODE_REUSED], ["Get a fresh code with `oauth-cli authorize`."], rfc(6749, "4.1.2"), G),
  r("google", "malformed-auth-code", "invalid_grant", "Malformed auth code", [400],
    "The code is not a valid Google authorization code — often it was URL-decoded twice or truncated (Google codes contain '/').",
    [{ id: "code-mangled", text: "The code was altered: double URL-encoding/decoding, '%2F' left encoded, or truncated on copy.", test: "Let `oauth-cli authorize` capture and exchange the code itself." }, C.CODE_EXPIRED],
    ["Pass the code exactly as received."], rfc(6749, "4.1.3"), G),
  r("google", "jwt-time", "invalid_grant", phrase("Invalid JWT: Token must be a short-lived token"), [400],
    "The JWT assertion's iat/exp are wrong: lifetime over 60 minutes or a clock far off.", [C.CLOCK_SKEW],
    ["Sync the clock and set exp = iat + at most 3600."], rfc(7523, "3"), G),
  r("google", "jwt-signature", "invalid_grant", "Invalid JWT Signature", [400],
    "The service-account JWT signature did not verify: deleted or rotated key, or the wrong key file.",
    [{ id: "key-deleted", text: "The service account key was deleted/disabled, or the JWT was signed with another account's key.", test: "Check the key id in the JSON key file is still listed for the service account." }],
    ["Create a new key for the service account."], rfc(7523, "3"), G),
  r("google", "jwt-audience", "invalid_grant", "Invalid JWT: Failed audience check", [400],
    "The JWT's aud is not Google's token endpoint.",
    [{ id: "wrong-audience", text: "aud must be https://oauth2.googleapis.com/token.", test: `${checkClaims("the assertion", "aud")}.` }], ["Fix aud."], rfc(7523, "3"), G),
  r("google", "dwd-unauthorized", "unauthorized_client", "Client is unauthorized to retrieve access tokens using this method", [400],
    "Domain-wide delegation is not set up for this service account client id and scopes.",
    [{ id: "delegation-not-authorized", text: "The service account's client id is not authorized in the Workspace admin console for these exact scopes.", test: "Retry with exactly the scopes authorized for the client id (`--scope`)." }],
    ["Authorize the client id and scopes for domain-wide delegation."], rfc(6749, "5.2"), G),
  r("google", "bad-request", "invalid_grant", phrase("Bad Request", { whole: true }), [400],
    "Google's terse invalid_grant: usually the code or redirect_uri is wrong.", [C.REDIRECT_URI_MISMATCH, C.CODE_REUSED, C.CODE_EXPIRED, C.PKCE_VERIFIER_MISMATCH],
    ["Redo the flow in one go with `oauth-cli authorize`."], rfc(6749, "5.2"), G),
  // Keycloak
  r("keycloak", "code-not-valid", "invalid_grant", "Code not valid", [400],
    "The authorization code is unknown, expired, already used, or its session ended.", [C.CODE_REUSED, C.CODE_EXPIRED, C.WRONG_CLIENT],
    ["Get a new code and exchange it once, quickly."], rfc(6749, "5.2"), KC),
  r("keycloak", "token-not-active", "invalid_grant", "Token is not active", [400],
    "The refresh token expired: the SSO session idle or max time (or offline session) has passed.", [C.REFRESH_TOKEN_EXPIRED, C.CONSENT_REVOKED],
    [RE_AUTH, "Compare SSO Session Idle / Max with how long the token sat unused."], rfc(6749, "6"), KC),
  r("keycloak", "invalid-refresh-token", "invalid_grant", phrase("Invalid refresh token", { whole: true }), [400],
    "The refresh token is not valid for this realm/client, or is malformed.", [C.WRONG_CLIENT, C.REFRESH_TOKEN_REUSED, C.REFRESH_TOKEN_EXPIRED],
    ["Check the refresh token came from the same realm and client."], rfc(6749, "6"), KC),
  r("keycloak", "stale-token", "invalid_grant", /Stale token|Maximum allowed refresh token reuse exceeded/i, [400],
    "Refresh token rotation ('Revoke Refresh Token') is on and an old refresh token was used again.", [C.REFRESH_TOKEN_REUSED],
    ["Store the newest refresh token after each refresh (`oauth-cli refresh --store`)."], rfc(6749, "6"), KC),
  r("keycloak", "session-not-active", "invalid_grant", "Session not active", [400],
    "The user session behind the grant was logged out or expired.", [C.CONSENT_REVOKED, C.REFRESH_TOKEN_EXPIRED], [RE_AUTH], rfc(6749, "5.2"), KC),
  r("keycloak", "incorrect-redirect-uri", "invalid_grant", "Incorrect redirect_uri", [400],
    "The redirect_uri in the token request differs from the authorization request.", [C.REDIRECT_URI_MISMATCH], ["Send the same redirect_uri in both steps."], rfc(6749, "4.1.3"), KC),
  r("keycloak", "pkce-failed", "invalid_grant", "PKCE verification failed", [400],
    "The code_verifier does not match the code_challenge.", [C.PKCE_VERIFIER_MISMATCH], ["Use `oauth-cli authorize --pkce S256`."], rfc(7636, "4.6"), KC),
  r("keycloak", "invalid-client-credentials", "unauthorized_client", "Invalid client or Invalid client credentials", [401],
    "Keycloak reports client authentication failure as unauthorized_client with 401.", C.INVALID_CLIENT_CAUSES,
    ["Check the client secret on the Credentials tab and the client authenticator."], rfc(6749, "5.2"), KC),
  r("keycloak", "invalid-user-credentials", "invalid_grant", "Invalid user credentials", [401],
    "Wrong username or password in a password grant.",
    [{ id: "bad-user-credentials", text: "Wrong username/password, or the user needs required actions the password grant cannot do.", test: "Use `oauth-cli authorize` (browser login) instead." }],
    ["Avoid the password grant."], rfc(6749, "5.2"), KC),
  r("keycloak", "account-not-set-up", "invalid_grant", /Account is not fully set up|Account disabled/i, [400],
    "The user has pending required actions or is disabled, so non-interactive grants fail.",
    [{ id: "account-disabled", text: "The account is disabled or has required actions (verify email, update password, OTP).", test: "Sign in with `oauth-cli authorize` to complete the actions." }],
    ["Complete the required actions interactively."], rfc(6749, "5.2"), KC),
  // Okta
  r("okta", "refresh-token-invalid", "invalid_grant", "The refresh token is invalid or expired", [400],
    "The refresh token expired, was already used under rotation, or was revoked.", [C.REFRESH_TOKEN_EXPIRED, C.REFRESH_TOKEN_REUSED, C.CONSENT_REVOKED],
    [RE_AUTH, "Search the System Log for outcome.reason \"invalid_refresh_token\"."], rfc(6749, "6"), OKTA),
  r("okta", "code-invalid", "invalid_grant", "The authorization code is invalid or has expired", [400],
    "The code is expired, already used, or was issued for another redirect URI or client.", [C.CODE_REUSED, C.CODE_EXPIRED, C.REDIRECT_URI_MISMATCH, C.WRONG_CLIENT],
    ["Get a new code and exchange it once."], rfc(6749, "5.2"), OKTA),
  r("okta", "pkce-failed", "invalid_grant", "PKCE verification failed", [400],
    "The code_verifier does not match.", [C.PKCE_VERIFIER_MISMATCH], ["Use `--pkce S256` end to end."], rfc(7636, "4.6"), OKTA),
  r("okta", "client-auth-failed", "invalid_client", "Client authentication failed. Either the client or the client credentials are invalid", [401],
    "Okta could not authenticate the client.", C.INVALID_CLIENT_CAUSES, ["Check the client secret and the client authentication method set in the app."], rfc(6749, "5.2"), OKTA),
  r("okta", "redirect-uri-not-allowed", "invalid_request", /redirect_uri'? parameter must be (?:a|an) (?:Login redirect URI|absolute URI)/i, undefined,
    "The redirect URI is not one of the app's Sign-in redirect URIs.", [C.REDIRECT_NOT_REGISTERED], ["Add the exact URI (from -v) to the app's Sign-in redirect URIs."], rfc(6749, "3.1.2"), OKTA),
  // Auth0
  r("auth0", "unknown-refresh-token", "invalid_grant", "Unknown or invalid refresh token", [403],
    "Auth0 (with 403) does not recognise the refresh token: revoked, expired (absolute/inactivity lifetime), or reused under rotation.",
    [C.REFRESH_TOKEN_REUSED, C.REFRESH_TOKEN_EXPIRED, C.CONSENT_REVOKED], [RE_AUTH, "Request offline_access to get refresh tokens at all."], rfc(6749, "6"), AUTH0),
  r("auth0", "invalid-authorization-code", "invalid_grant", "Invalid authorization code", [403],
    "The code is expired, used, or for another client.", [C.CODE_REUSED, C.CODE_EXPIRED, C.WRONG_CLIENT], ["Get a new code and exchange it once."], rfc(6749, "5.2"), AUTH0),
  r("auth0", "service-not-enabled", "access_denied", "Service not enabled within domain", [403],
    "The `audience` requested is not an API defined in this Auth0 tenant.",
    [{ id: "wrong-audience", text: "The audience parameter has a typo or names an API in another tenant.", test: "Retry with `--param audience=<API identifier>` exactly as defined in Auth0 APIs." }],
    ["Use the API Identifier from the Auth0 dashboard as audience."], rfc(6749, "5.2"), AUTH0),
  // Salesforce
  r("salesforce", "expired-refresh-token", "invalid_grant", "expired access/refresh token", [400],
    "The refresh token is revoked or expired.",
    [{ ...C.REFRESH_TOKEN_EXPIRED, text: "The connected app's refresh token policy expired it (e.g. 'Immediately expire refresh token')." },
      { id: "token-limit", text: "More than 5 approvals for this connected app and user: the oldest was revoked.", test: "Reuse the stored refresh token instead of re-authorizing." },
      C.CONSENT_REVOKED],
    [RE_AUTH, "Set the policy to 'Refresh token is valid until revoked' if appropriate."], rfc(6749, "6"), SF),
  r("salesforce", "authentication-failure", "invalid_grant", "authentication failure", [400],
    "The user's credentials or state no longer allow the grant (password changed, user frozen or deactivated, IP restrictions).",
    [C.PASSWORD_CHANGED, { id: "account-disabled", text: "The user is deactivated or frozen.", test: "Check the user record in Setup." }], [RE_AUTH], rfc(6749, "5.2"), SF),
  r("salesforce", "inactive-user", "invalid_grant", "inactive user", [400],
    "The user is inactive.", [{ id: "account-disabled", text: "The user was deactivated.", test: "Reactivate the user or authorize as another one." }], ["Use an active user."], rfc(6749, "5.2"), SF),
  r("salesforce", "invalid-client-credentials", "invalid_client", "invalid client credentials", [400],
    "Wrong consumer key/secret pair.", C.INVALID_CLIENT_CAUSES, ["Re-copy the consumer key and secret."], rfc(6749, "5.2"), SF),
  // Apple
  r("apple", "code-already-used", "invalid_grant", "The code has already been used", [400],
    "Sign in with Apple: the authorization code was already exchanged.", [C.CODE_REUSED], ["Get a new code; exchange it once."], rfc(6749, "4.1.2"), "Apple Developer Forums / TN3107"),
  // Amazon Cognito
  r("cognito", "refresh-token-expired", "invalid_grant", "Refresh Token has expired", [400],
    "The refresh token passed the app client's refresh token expiration.", [C.REFRESH_TOKEN_EXPIRED], [RE_AUTH], COGNITO_TOKEN, "Amazon Cognito token endpoint behaviour"),
  r("cognito", "invalid-refresh-token", "invalid_grant", phrase("Invalid Refresh Token", { whole: true }), [400],
    "The refresh token was issued to another app client, revoked, or (with device tracking) used without the device key.",
    [C.WRONG_CLIENT, C.CONSENT_REVOKED, C.REFRESH_TOKEN_REUSED], ["Refresh with the same app client id that obtained the token."], COGNITO_TOKEN, "AWS re:Post knowledge center: Invalid Refresh Token"),
  // Loopback redirect rules elsewhere
  r("spring-authorization-server", "localhost-not-allowed", "invalid_request", phrase("localhost is not allowed for the redirect_uri"), [400],
    "Spring Authorization Server rejects `localhost` redirect URIs and wants the IP literal.", [C.LOCALHOST_REJECTED],
    ["Use `--redirect-host 127.0.0.1`."], SPRING, "Spring Authorization Server message; reference/oauth-errors.md"),
  r("spotify", "localhost-not-allowed", undefined, phrase("localhost is not allowed as redirect URI"), undefined,
    "Spotify (since April 2025) rejects `localhost` redirect URIs.", [C.LOCALHOST_REJECTED],
    ["Use `--redirect-host 127.0.0.1` and register http://127.0.0.1:PORT/…"], SPRING, "reference/oauth-errors.md (Spotify, 2025-04)"),
]);
