import { isLoopbackHost } from "../loopback/host.js";

export { isLoopbackHost };

/**
 * The sandbox only ever listens on loopback: a debugging server with well-known client secrets
 * must not be reachable from the LAN.
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-8.3
 */
export function assertLoopbackHost(host: string): void {
  if (!isLoopbackHost(host)) {
    throw new Error(
      `sandbox host "${host}" is not a loopback address; use 127.0.0.1 (or another 127.0.0.0/8 address), ::1 or localhost`,
    );
  }
}

/** "[::1]" → "::1": the form net.Server.listen() wants. */
export function listenHost(host: string): string {
  return host.trim().toLowerCase().replace(/^\[|\]$/g, "");
}

/** The issuer's authority part: IPv6 literals need brackets. */
export function formatAuthority(host: string, port: number): string {
  const h = listenHost(host);
  return h.includes(":") ? `[${h}]:${port}` : `${h}:${port}`;
}
