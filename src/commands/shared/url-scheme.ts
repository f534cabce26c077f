import { isLoopbackHost } from "../../loopback/host.js";

/**
 * `127.0.0.1:8933` or `login.example.com/realms/x`: a URL typed without its scheme. `new URL()`
 * either throws or reads the host as a scheme ("localhost:" with path "8933"), and the error
 * that follows ("not a URL", "connection refused") hides the one-word fix. Returns the URL with
 * the scheme it most likely lacks: http for loopback (the sandbox, a local server), else https.
 */
export function suggestScheme(value: string): string | undefined {
  const text = value.trim();
  if (text === "" || /^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return undefined;
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?(\/\S*)?$/i.exec(text);
  if (!m || !m[1]!.includes(".") && !m[1]!.startsWith("[") && m[1]!.toLowerCase() !== "localhost") return undefined;
  const host = m[1]!.replace(/^\[|\]$/g, "");
  return `${isLoopbackHost(host) ? "http" : "https"}://${text}`;
}
