import { isIPv4 } from "node:net";

/**
 * 127.0.0.0/8, ::1 (bracketed or not) and localhost: the addresses that never leave this machine.
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-8.3
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase();
  if (h === "localhost" || h === "::1" || h === "[::1]") return true;
  return isIPv4(h) && h.startsWith("127.");
}
