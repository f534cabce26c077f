import type { HttpResponse } from "../http/types.js";
import type { ErrorFormat, HttpMeta, OAuthErrorReport } from "../errors/types.js";

const REQUEST_ID_HEADER = /request-?id|trace|correlation|cf-ray/i;
const REQUEST_ID_FIELD = /^(trace_?id|correlation_?id|request_?id|timestamp)$/i;

/** Status, content type, request/trace ids and Date of a response: shown with every error (seed 000). */
export function httpMetaOf(response: HttpResponse): HttpMeta {
  const requestIds: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (REQUEST_ID_HEADER.test(name)) requestIds[name] = value;
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

function texts(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.map((v) => text(v) ?? JSON.stringify(v));
  const one = text(value);
  return one === undefined ? undefined : [one];
}

function omit(object: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([k]) => !keys.includes(k)));
}

function report(
  format: ErrorFormat,
  error: string,
  descriptions: string[] | undefined,
  rest: Record<string, unknown>,
  http?: HttpMeta,
  errorUri?: string,
): OAuthErrorReport {
  const providerCodes = [...new Set((descriptions ?? []).join(" ").match(/\bAADSTS\d+\b/g) ?? [])];
  const ids: Record<string, string> = { ...(http?.requestIds ?? {}) };
  for (const [k, v] of Object.entries(rest)) if (REQUEST_ID_FIELD.test(k) && text(v)) ids[k] = text(v)!;
  return {
    format,
    error,
    error_description: descriptions?.join("; "),
    descriptions: descriptions && descriptions.length > 1 ? descriptions : undefined,
    error_uri: errorUri || undefined,
    providerCodes: providerCodes.length ? providerCodes : undefined,
    http: http || Object.keys(ids).length ? { ...(http ?? {}), requestIds: ids } : undefined,
    extra: rest,
  };
}

/**
 * Reads an error out of a parsed JSON body, whatever shape the provider used:
 * RFC 6749 §5.2 with a string or array description (seed 001), the legacy
 * `{"success":false,"errorMessage","errorDetails","errorCode"}` (seed 001), the SDK exception
 * `{"ErrorCode","ErrorDescription"}` (seed 000), and `{"ok":false,"error"}` (Slack).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function readErrorObject(body: unknown, http?: HttpMeta): OAuthErrorReport | undefined {
  if (!isRecord(body)) return undefined;
  if (typeof body.error === "string" && body.error !== "") {
    const format: ErrorFormat = body.ok === false ? "envelope" : "rfc6749";
    return report(format, body.error, texts(body.error_description), omit(body, ["error", "error_description", "error_uri"]), http, text(body.error_uri));
  }
  if (isRecord(body.error) && (text(body.error.code) || text(body.error.message))) {
    const inner = body.error;
    const code = text(inner.status) && !text(inner.code) ? text(inner.status)! : text(inner.code) ?? "unknown_error";
    return report("envelope", code, texts(inner.message), omit(body, ["error"]), http);
  }
  if (body.success === false && (text(body.errorCode) || text(body.errorMessage))) {
    const descriptions = [...(texts(body.errorMessage) ?? []), ...(texts(body.errorDetails) ?? [])];
    return report("legacy-envelope", text(body.errorCode) ?? "unknown_error", descriptions, omit(body, ["success", "errorCode", "errorMessage", "errorDetails"]), http);
  }
  if (text(body.ErrorCode)) {
    const descriptions = texts(body.ErrorDescription) ?? texts(body.Error);
    return report(text(body.ErrorDescription) !== undefined ? "sdk-exception" : "envelope", text(body.ErrorCode)!, descriptions, omit(body, ["ErrorCode", "ErrorDescription", "Error"]), http);
  }
  return undefined;
}

/** Reads an error out of an application/x-www-form-urlencoded body or query (`+` is a space). */
export function readErrorForm(params: URLSearchParams, format: ErrorFormat, http?: HttpMeta): OAuthErrorReport | undefined {
  const error = params.get("error");
  if (!error) return undefined;
  const rest: Record<string, unknown> = {};
  for (const [k, v] of params) if (!["error", "error_description", "error_uri", "state"].includes(k)) rest[k] = v;
  const description = params.get("error_description") ?? undefined;
  return {
    ...report(format, error, description === undefined ? undefined : [description], rest, http, params.get("error_uri") ?? undefined),
    state: params.get("state") ?? undefined,
  };
}
