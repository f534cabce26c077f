/**
 * Which catalogue provider a token endpoint's host belongs to. A provider's own variant of a standard
 * code (Apple's invalid_grant, …) is only used when something says the server is that provider; the
 * host is one such sign. Suffixes match the host or any subdomain of it.
 */
const PROVIDER_DOMAINS: Readonly<Record<string, readonly string[]>> = {
  microsoft: ["login.microsoftonline.com", "login.microsoft.com", "login.live.com", "login.windows.net", "ciamlogin.com", "b2clogin.com", "login.microsoftonline.us", "login.chinacloudapi.cn"],
  google: ["accounts.google.com", "oauth2.googleapis.com", "www.googleapis.com"],
  github: ["github.com", "api.github.com"],
  apple: ["appleid.apple.com"],
  slack: ["slack.com"],
  okta: ["okta.com", "oktapreview.com", "okta-emea.com"],
  auth0: ["auth0.com"],
  salesforce: ["salesforce.com", "force.com"],
  cognito: ["amazoncognito.com"],
};

/** The provider whose domains contain the URL's host, or undefined (also for a non-URL). */
export function providerForUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  for (const [provider, domains] of Object.entries(PROVIDER_DOMAINS)) {
    if (domains.some((d) => host === d || host.endsWith(`.${d}`))) return provider;
  }
  return undefined;
}
