import type { SpecLink } from "../types.js";

/** Builds a link to an RFC section on rfc-editor.org, e.g. rfc(6749, "5.2"). */
export function rfc(num: number, section: string): SpecLink {
  return { name: `RFC ${num} §${section}`, url: `https://www.rfc-editor.org/rfc/rfc${num}#section-${section}` };
}

export const OIDC_AUTH_ERROR: SpecLink = {
  name: "OpenID Connect Core 1.0 §3.1.2.6",
  url: "https://openid.net/specs/openid-connect-core-1_0.html#AuthError",
};
export const UMA_GRANT_ERRORS: SpecLink = {
  name: "UMA 2.0 Grant §3.3.6",
  url: "https://docs.kantarainitiative.org/uma/wg/rec-oauth-uma-grant-2.0.html#uma-grant-error",
};
export const FEDERATION_ERRORS: SpecLink = {
  name: "OpenID Federation 1.0 §8.9",
  url: "https://openid.net/specs/openid-federation-1_0.html#section-8.9",
};
export const OPENID4VP_ERRORS: SpecLink = {
  name: "OpenID4VP 1.0 §8.5",
  url: "https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-8.5",
};
export const CIBA_AUTH_ERRORS: SpecLink = {
  name: "OpenID Connect CIBA Core 1.0 §13",
  url: "https://openid.net/specs/openid-client-initiated-backchannel-authentication-core-1_0.html#rfc.section.13",
};
export const CIBA_TOKEN_ERRORS: SpecLink = {
  name: "OpenID Connect CIBA Core 1.0 §11",
  url: "https://openid.net/specs/openid-client-initiated-backchannel-authentication-core-1_0.html#rfc.section.11",
};
export const UNMET_AUTHN: SpecLink = {
  name: "OpenID Connect Core Error Code unmet_authentication_requirements 1.0 §2",
  url: "https://openid.net/specs/openid-connect-unmet-authentication-requirements-1_0.html#rfc.section.2",
};
export const ATTESTATION_DRAFT: SpecLink = {
  name: "draft-ietf-oauth-attestation-based-client-auth (error responses)",
  url: "https://datatracker.ietf.org/doc/draft-ietf-oauth-attestation-based-client-auth/",
};
export const RESPONSE_MODES: SpecLink = {
  name: "OAuth 2.0 Multiple Response Type Encoding Practices §2.1",
  url: "https://openid.net/specs/oauth-v2-multiple-response-types-1_0.html#ResponseModes",
};
export const ENTRA_CODES: SpecLink = {
  name: "Microsoft Entra authentication and authorization error codes",
  url: "https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes",
};
export const GOOGLE_RT_EXPIRY: SpecLink = {
  name: "Google OAuth 2.0: Refresh token expiration",
  url: "https://developers.google.com/identity/protocols/oauth2#expiration",
};
export const GITHUB_TOKEN_ERRORS: SpecLink = {
  name: "GitHub: Troubleshooting OAuth app access token request errors",
  url: "https://docs.github.com/en/apps/oauth-apps/maintaining-oauth-apps/troubleshooting-oauth-app-access-token-request-errors",
};
export const GITHUB_DEVICE_FLOW: SpecLink = {
  name: "GitHub: Authorizing OAuth apps §Error codes for the device flow",
  url: "https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps#error-codes-for-the-device-flow",
};
export const SLACK_OAUTH_ACCESS: SpecLink = {
  name: "Slack API: oauth.v2.access (errors)",
  url: "https://api.slack.com/methods/oauth.v2.access",
};
export const APPLE_ERROR_RESPONSE: SpecLink = {
  name: "Sign in with Apple REST API: ErrorResponse",
  url: "https://developer.apple.com/documentation/signinwithapplerestapi/errorresponse",
};
export const COGNITO_TOKEN: SpecLink = {
  name: "Amazon Cognito: The token issuer endpoint",
  url: "https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html",
};
