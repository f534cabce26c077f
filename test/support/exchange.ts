import type { HttpExchange } from "../../src/http/types.js";

/**
 * A recorded HTTP exchange for the parsers' unit tests: a POST to `url` and the answer given (a
 * JSON content type unless `headers` says otherwise; a body that is not a string is sent as JSON).
 */
export function recordedExchange(
  url: string,
  status: number,
  body: unknown,
  { headers = { "content-type": "application/json" }, requestHeaders = {}, startedAt = 0 }: { headers?: Record<string, string>; requestHeaders?: Record<string, string>; startedAt?: number } = {},
): HttpExchange {
  return {
    request: { method: "POST", url, headers: requestHeaders, body: "" },
    response: { status, statusText: "", headers, body: typeof body === "string" ? body : JSON.stringify(body), truncated: false },
    startedAt,
    durationMs: 1,
  };
}

/** What fn throws (our errors carry an exitCode); fails when it does not throw. */
export function thrown(fn: () => unknown): Error & { exitCode?: number } {
  try {
    fn();
  } catch (error) {
    return error as Error & { exitCode?: number };
  }
  throw new Error("expected a throw");
}
