/**
 * How output names each catalogue provider. The catalogue's provider keys are internal; a provider
 * known only from its documentation, without a public name, is named by what it does.
 */
const NAMES: Readonly<Record<string, string>> = {
  microsoft: "Microsoft Entra ID",
  google: "Google",
  github: "GitHub",
  apple: "Apple",
  slack: "Slack",
  okta: "Okta",
  auth0: "Auth0",
  salesforce: "Salesforce",
  cognito: "Amazon Cognito",
  keycloak: "Keycloak",
  "spring-authorization-server": "Spring Authorization Server",
  spotify: "Spotify",
  // Providers whose documentation our catalogue follows (/work/shared/seeds 000–003), named by behaviour.
  "seed-000": "a provider whose SDK reports errors as {ErrorCode, ErrorDescription, HttpMeta}",
  "seed-001": "a provider with the legacy {success, data} envelope",
  "seed-002": "a provider with an extended error table (account_locked, authorization_expired, …)",
  "seed-003": "a provider with a JSON-only token endpoint",
};

/** The provider as output names it; a key without a name is shown as it is. */
export function providerName(provider: string): string {
  return NAMES[provider] ?? provider;
}

/** Every provider key that has a name (for the test that no output shows an internal key). */
export const NAMED_PROVIDERS: readonly string[] = Object.keys(NAMES);
