import { isIPv4 } from "node:net";

/**
 * The hosts a loopback redirect URI may name, as written in the URI: the one list the listener,
 * the authorize flags and the profile settings share.
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-7.3
 */
export const REDIRECT_HOSTS = ["127.0.0.1", "localhost", "[::1]"] as const;
export type RedirectHost = (typeof REDIRECT_HOSTS)[number];

/** A URL's hostname as a redirect host, when it is one of {@link REDIRECT_HOSTS}. */
export function asRedirectHost(hostname: string): RedirectHost | undefined {
  return (REDIRECT_HOSTS as readonly string[]).includes(hostname) ? (hostname as RedirectHost) : undefined;
}

/**
 * 127.0.0.0/8, ::1 (bracketed or not) and localhost: the addresses that never leave this machine.
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-8.3
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase();
  if (h === "localhost" || h === "::1" || h === "[::1]") return true;
  return isIPv4(h) && h.startsWith("127.");
}
