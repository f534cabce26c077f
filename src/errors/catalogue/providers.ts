import type { CatalogueEntry, Cause, SpecLink, UsedAt } from "../types.js";
import { checkClaims } from "./tools.js";
import * as C from "./causes.js";
import { APPLE_ERROR_RESPONSE, GITHUB_DEVICE_FLOW, GITHUB_TOKEN_ERRORS, GOOGLE_RT_EXPIRY, SLACK_OAUTH_ACCESS } from "./links.js";

const GITHUB = "GitHub Docs: troubleshooting OAuth app access token request errors; authorizing OAuth apps (device flow); reference/oauth-errors.md";
const SLACK = "Slack API docs: oauth.v2.access / oauth.access errors";
const GOOGLE = "Google Identity docs: OAuth 2.0 refresh token expiration; reference/oauth-errors.md";

function p(
  provider: string,
  code: string,
  standardCode: string,
  httpStatus: readonly number[],
  title: string,
  meaning: string,
  causes: readonly Cause[],
  nextSteps: readonly string[],
  spec: SpecLink,
  source: string,
  usedAt: readonly UsedAt[] = ["token-endpoint"],
): CatalogueEntry {
  return { code, provider, title, meaning, spec, usedAt, httpStatus, causes, nextSteps, source, standardCode };
}
const c = (id: string, text: string, test: string): Cause => ({ id, text, test });
const GH_200 = " GitHub answers HTTP 200 with this error in the body (form-encoded unless Accept: application/json).";
const SLACK_200 = " Slack answers HTTP 200 with {\"ok\":false,\"error\":\"…\"}.";

export const PROVIDER_ENTRIES: readonly CatalogueEntry[] = [
  // GitHub OAuth apps
  p("github", "incorrect_client_credentials", "invalid_client", [200], "client_id or client_secret is incorrect",
    `The client_id and/or client_secret passed are incorrect.${GH_200}`, [C.WRONG_SECRET, C.SECRET_WHITESPACE, C.UNKNOWN_CLIENT],
    ["Re-copy the client secret (GitHub shows it once; generate a new one if lost)."], GITHUB_TOKEN_ERRORS, GITHUB),
  p("github", "redirect_uri_mismatch", "invalid_grant", [200], "redirect_uri does not match the registered callback URL",
    `The redirect_uri must match the app's registered callback URL (or be a sub-path of it).${GH_200}`, [C.REDIRECT_NOT_REGISTERED, C.REDIRECT_URI_MISMATCH],
    ["Use the callback URL registered for the app, or omit redirect_uri to use the default."], GITHUB_TOKEN_ERRORS, GITHUB, ["authorization-redirect", "token-endpoint"]),
  p("github", "bad_verification_code", "invalid_grant", [200], "The code is incorrect or expired",
    `The code passed is incorrect, expired (codes last 10 minutes) or already used.${GH_200}`, [C.CODE_EXPIRED, C.CODE_REUSED, C.WRONG_CLIENT],
    ["Start over with `oauth-cli authorize` and exchange the new code once."], GITHUB_TOKEN_ERRORS, GITHUB),
  p("github", "unverified_user_email", "access_denied", [200], "The user has no verified email",
    `The user must verify their primary email address before the app can get a token.${GH_200}`,
    [c("email-unverified", "The GitHub account's primary email is not verified.", "Verify the email in GitHub settings, then run `oauth-cli authorize` again.")],
    ["Ask the user to verify their email."], GITHUB_TOKEN_ERRORS, GITHUB),
  p("github", "application_suspended", "unauthorized_client", [200], "The OAuth app is suspended",
    "The OAuth app was suspended by its owner or GitHub; no tokens are issued.",
    [c("app-suspended", "The app is suspended.", "Check the app's settings page on GitHub.")], ["Unsuspend the app or contact GitHub support."],
    { name: "GitHub: Troubleshooting authorization request errors §Application suspended", url: "https://docs.github.com/en/apps/oauth-apps/maintaining-oauth-apps/troubleshooting-authorization-request-errors#application-suspended" },
    GITHUB, ["authorization-redirect", "token-endpoint"]),
  p("github", "bad_refresh_token", "invalid_grant", [200], "The refresh token is invalid or expired",
    `The refresh token is invalid, expired (GitHub refresh tokens last 6 months), or already used (they rotate).${GH_200}`,
    [C.REFRESH_TOKEN_REUSED, C.REFRESH_TOKEN_EXPIRED, C.WRONG_CLIENT], ["Sign in again; store the new refresh token after every refresh (`oauth-cli refresh --store`)."],
    { name: "GitHub: Refreshing user access tokens", url: "https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens" }, GITHUB),
  p("github", "incorrect_device_code", "invalid_grant", [200], "Device flow: the device_code is not valid",
    "The device_code sent is not valid (typo, or from another app).", [c("device-code-wrong", "The device_code does not belong to this client or was mangled.", "Restart the device flow and poll with the new device_code.")],
    ["Restart the device flow."], GITHUB_DEVICE_FLOW, GITHUB, ["device-flow"]),
  p("github", "device_flow_disabled", "unauthorized_client", [200], "Device flow is not enabled for the app",
    "Device flow has not been enabled in the app's settings.", [c("device-flow-off", "The 'Enable Device Flow' checkbox is off for the app.", "Enable it in the app settings and retry.")],
    ["Enable device flow in the OAuth app's settings."], GITHUB_DEVICE_FLOW, GITHUB, ["device-flow"]),
  p("github", "authorization_pending", "authorization_pending", [200], "Device flow: authorization pending",
    "The user has not entered the code yet; keep polling at the interval.", [c("user-not-done", "The user has not approved yet.", "Complete the approval at github.com/login/device.")],
    ["Keep polling at `interval`."], GITHUB_DEVICE_FLOW, GITHUB, ["device-flow"]),
  p("github", "slow_down", "slow_down", [200], "Device flow: polling too fast",
    "Polling too fast; GitHub adds 5 seconds and returns the new `interval` in the response, which must be used from now on.",
    [c("interval-ignored", "The client polled faster than the interval.", "Use the interval from the slow_down response.")], ["Use the new interval."], GITHUB_DEVICE_FLOW, GITHUB, ["device-flow"]),
  p("github", "expired_token", "expired_token", [200], "Device flow: the device code expired",
    "The device code expired (after 15 minutes); start over.", [c("device-code-expired", "The user did not finish in time.", "Restart the device flow.")],
    ["Request a new device code."], GITHUB_DEVICE_FLOW, GITHUB, ["device-flow"]),
  p("github", "access_denied", "access_denied", [200], "The user cancelled the authorization",
    "The user clicked Cancel during the (device) authorization; the code cannot be used again.",
    [c("user-declined", "The user declined.", "Start over and approve.")], ["Start a new authorization."], GITHUB_DEVICE_FLOW, GITHUB, ["device-flow", "authorization-redirect"]),
  // Slack
  ...(
    [
      ["invalid_code", "invalid_grant", "Value passed for `code` was invalid (wrong, expired or from another app).", [C.CODE_EXPIRED, C.WRONG_CLIENT]],
      ["code_already_used", "invalid_grant", "The code was already exchanged once.", [C.CODE_REUSED]],
      ["bad_redirect_uri", "invalid_grant", "Value passed for `redirect_uri` did not match the redirect_uri of the original request.", [C.REDIRECT_URI_MISMATCH]],
      ["invalid_client_id", "invalid_client", "Value passed for `client_id` was invalid.", [C.UNKNOWN_CLIENT]],
      ["bad_client_secret", "invalid_client", "Value passed for `client_secret` was invalid.", [C.WRONG_SECRET, C.SECRET_WHITESPACE]],
      ["invalid_grant_type", "unsupported_grant_type", "Value passed for grant_type was invalid.",
        [c("grant-type-misspelled", "grant_type is misspelled or not supported by this method.", "Check grant_type in the -v trace.")]],
      ["oauth_authorization_url_mismatch", "invalid_request", "The flow was started on the wrong version of the authorization URL (must be /oauth/v2/authorize for oauth.v2.access).",
        [c("authorize-url-version", "The authorization used /oauth/authorize but the exchange used oauth.v2.access (or the reverse).", "Use `--authorization-endpoint https://slack.com/oauth/v2/authorize`.")]],
    ] as [string, string, string, Cause[]][]
  ).map(([code, std, meaning, causes]) =>
    p("slack", code, std, [200], meaning.replace(/\.$/, ""), `${meaning}${SLACK_200}`, causes, ["Fix the named value and start a new authorization if the code was spent."], SLACK_OAUTH_ACCESS, SLACK),
  ),
  // Google
  p("google", "invalid_rapt", "invalid_grant", [400], "Re-authentication required by a session control policy",
    "Returned as error_subtype=invalid_rapt with invalid_grant: a Google Workspace session-length (reauth) policy requires the user to sign in again.",
    [c("session-control", "The Workspace admin set a session length; the refresh token is no longer usable until the user re-authenticates.", "Run `oauth-cli authorize` again.")],
    ["Re-authenticate the user; expect this periodically under session controls."], GOOGLE_RT_EXPIRY, GOOGLE),
  p("google", "admin_policy_enforced", "access_denied", [400], "Blocked by a Workspace admin policy",
    "The Google Workspace administrator's policy does not allow the app (or these scopes) for this account.",
    [c("admin-policy", "API access controls in the Workspace admin console block the app or scopes.", "Ask the admin to trust the client_id; retry with fewer `--scope` values.")],
    ["Have the Workspace admin allow the app."], GOOGLE_RT_EXPIRY, GOOGLE, ["authorization-redirect", "token-endpoint"]),
  // Apple
  p("apple", "invalid_client", "invalid_client", [400], "Sign in with Apple: client authentication failed",
    "Apple could not authenticate the client: mismatched client identifier (App ID vs Services ID), an invalid client_secret JWT (expired, malformed claims, bad signature), or a mismatched redirect URI.",
    [C.WRONG_CLIENT, C.CLOCK_SKEW, c("apple-secret-jwt", "The client_secret JWT has the wrong iss (Team ID), sub (must equal client_id), aud (https://appleid.apple.com), kid or is not ES256.", `${checkClaims("your client_secret JWT", "iss, sub, aud and kid")}; sub must equal \`--client-id\`.`)],
    ["Regenerate the client_secret JWT (max 6 months) with sub equal to the client_id used."], APPLE_ERROR_RESPONSE, "Apple Developer docs: Sign in with Apple REST API ErrorResponse; TN3107"),
  p("apple", "invalid_grant", "invalid_grant", [400], "Sign in with Apple: the code or refresh token is invalid",
    "The authorization code or refresh token is invalid: expired (codes last 5 minutes) or already used, issued to another client identifier, or revoked.",
    [C.CODE_REUSED, C.CODE_EXPIRED, C.WRONG_CLIENT, C.CONSENT_REVOKED],
    ["Use the same identifier that obtained the code (an iOS app's code needs its App ID as client_id, not the Services ID)."], APPLE_ERROR_RESPONSE, "Apple Developer docs: Sign in with Apple REST API ErrorResponse; TN3107"),
];
