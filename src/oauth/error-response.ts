import type { HttpResponse } from "../http/types.js";
import type { ErrorFormat, HttpMeta, OAuthErrorReport } from "../errors/types.js";
import { isRequestIdName } from "../errors/parse/draft.js";
import { readErrorParams } from "../errors/parse/form.js";
import { readErrorJson } from "../errors/parse/json.js";

/** Status, content type, request/trace ids and Date of a response: shown with every error (seed 000). */
export function httpMetaOf(response: HttpResponse): HttpMeta {
  const requestIds: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (isRequestIdName(name)) requestIds[name] = value;
  }
  return {
    status: response.status,
    statusText: response.statusText || undefined,
    contentType: response.headers["content-type"],
    requestIds,
    date: response.headers.date,
    wwwAuthenticate: response.headers["www-authenticate"],
  };
}

/** The response's HTTP facts win over what the body claims; request ids from both are kept. */
function withHttp(report: OAuthErrorReport, http: HttpMeta | undefined): OAuthErrorReport {
  if (!http) return report;
  const fromBody = report.http;
  return {
    ...report,
    http: {
      ...fromBody,
      ...Object.fromEntries(Object.entries(http).filter(([, v]) => v !== undefined)),
      requestIds: { ...http.requestIds, ...fromBody?.requestIds },
    },
  };
}

/**
 * Reads an error out of a parsed JSON body, whatever shape the provider used: RFC 6749 §5.2 with a
 * string or array description (seed 001), the legacy envelope (seed 001), the SDK exception
 * (seed 000), `{"ok":false,"error"}` (Slack) and the other envelopes `decode-error` knows — it is
 * the same reader ({@link readErrorJson}). A body carrying an access_token is never an error, and
 * a shape with no error code is left to the caller's "not an OAuth error body" handling.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function readErrorObject(body: unknown, http?: HttpMeta): OAuthErrorReport | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body) || "access_token" in body) return undefined;
  const report = readErrorJson(body);
  return report && report.error !== "" ? withHttp(report, http) : undefined;
}

/**
 * A JSON answer read once for any endpoint (PAR, device authorization, introspection, revocation):
 * its body parsed (undefined when it is not JSON) and the OAuth error it carries, if any.
 */
export function readJsonAnswer(response: HttpResponse): { body: unknown; error: OAuthErrorReport | undefined } {
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    body = undefined;
  }
  return { body, error: readErrorObject(body, httpMetaOf(response)) };
}

/** Reads an error out of an application/x-www-form-urlencoded body or query (`+` is a space). */
export function readErrorForm(params: URLSearchParams, format: Extract<ErrorFormat, "form" | "redirect">, http?: HttpMeta): OAuthErrorReport | undefined {
  const report = readErrorParams(params, format);
  return report && report.error !== "" ? withHttp(report, http) : undefined;
}
