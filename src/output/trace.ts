import type { HttpExchange } from "../http/types.js";
import { redactBody, redactHeader, redactUrl, scrubLiterals } from "./redact.js";

export interface TraceOptions {
  readonly showSecrets: boolean;
  /** Literal secret values to scrub wherever they appear. */
  readonly secrets: readonly string[];
}

/**
 * One HTTP exchange, curl -v style: `> ` lines for the request, `< ` for the response, then
 * timing. Secrets are redacted unless showSecrets.
 */
export function formatExchange(exchange: HttpExchange, options: TraceOptions): string {
  const show = options.showSecrets;
  const { request, response, failure } = exchange;
  const lines: string[] = [];
  lines.push(`> ${request.method} ${show ? request.url : redactUrl(request.url)}`);
  for (const [name, value] of Object.entries(request.headers)) lines.push(`> ${name}: ${show ? value : redactHeader(name, value)}`);
  if (request.body !== undefined) {
    lines.push(">");
    for (const line of (show ? request.body : redactBody(request.body)).split("\n")) lines.push(`> ${line}`);
  }
  if (response) {
    lines.push(`< HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`);
    for (const [name, value] of Object.entries(response.headers)) lines.push(`< ${name}: ${show ? value : redactHeader(name, value)}`);
    if (response.body) {
      lines.push("<");
      for (const line of (show ? response.body : redactBody(response.body)).split("\n")) lines.push(`< ${line}`);
    }
  }
  if (failure) lines.push(`* failed: ${failure.message}${failure.code ? ` (${failure.code})` : ""}`);
  lines.push(`* ${exchange.durationMs} ms`);
  const text = `${lines.join("\n")}\n`;
  return show ? text : scrubLiterals(text, options.secrets);
}
