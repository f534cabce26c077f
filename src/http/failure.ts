import { NetworkError } from "../errors/cli-error.js";
import type { HttpExchange } from "./types.js";

export const NETWORK_HINTS: Record<string, string> = {
  refused: "Nothing listens there: check the host and port, or that the server is running.",
  dns: "Check the host name for typos, or your DNS/VPN.",
  timeout: "The server did not answer in time: raise --timeout, or check a proxy (HTTPS_PROXY/NO_PROXY) or firewall.",
  tls: "The certificate could not be verified: give the issuing CA with --ca-file PATH (or NODE_EXTRA_CA_CERTS).",
  reset: "The connection dropped: a proxy or load balancer in between may be closing it.",
};

/** The error for a failed transport, naming the URL (with the failure's own hint, else the kind's). */
export function networkFailure(exchange: HttpExchange, what: string): NetworkError {
  const failure = exchange.failure!;
  if (failure.kind === "too-large") return new NetworkError(`${what} at ${exchange.request.url}: ${failure.message}`, { exchange });
  return new NetworkError(`could not reach ${what} at ${exchange.request.url}: ${failure.message}${failure.code ? ` (${failure.code})` : ""}`, {
    exchange,
    hint: failure.hint ?? NETWORK_HINTS[failure.kind],
  });
}
