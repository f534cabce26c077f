import { OAuthServerError } from "../errors/cli-error.js";
import { parseErrorInput } from "../errors/parse/index.js";
import type { OAuthErrorReport } from "../errors/types.js";
import type { HttpExchange, HttpResponse } from "../http/types.js";
import { httpMetaOf } from "./error-response.js";

/** The Authorization header that presents a bearer token to a resource. */
export function bearerAuthorization(accessToken: string): string {
  return `Bearer ${accessToken}`;
}

/**
 * A protected resource's refusal as an OAuth error: a 401 or 403 whose `WWW-Authenticate` carries
 * a Bearer (or DPoP) challenge, read by the same parser as `decode-error`. Undefined when the
 * response has no challenge to read. A challenge without `error` (RFC 6750 §3.1: the request had
 * no credentials) is still a refusal: it is reported with an empty code and explained by status.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export function bearerChallengeError(exchange: HttpExchange, response: HttpResponse): OAuthServerError | undefined {
  if (response.status !== 401 && response.status !== 403) return undefined;
  const header = response.headers["www-authenticate"];
  if (header === undefined || header.trim() === "") return undefined;
  const parsed = parseErrorInput(`WWW-Authenticate: ${header}`);
  const reports = parsed.kind === "report" ? [parsed.report] : parsed.kind === "reports" ? parsed.reports : [];
  // Several challenges (Bearer and DPoP, say): the one with an error code speaks for the refusal.
  const report: OAuthErrorReport | undefined = reports.find((r) => r.error !== "") ?? reports[0];
  if (report === undefined) return undefined;
  const http = httpMetaOf(response);
  const needed = typeof report.extra.scope === "string" && report.extra.scope !== "" ? report.extra.scope : undefined;
  return new OAuthServerError(
    { ...report, http: { ...report.http, ...http, requestIds: { ...report.http?.requestIds, ...http.requestIds } } },
    {
      exchange,
      details: needed === undefined ? [] : [`  the resource asks for scope: ${needed}`],
      hint: needed === undefined ? undefined : `Get a token that carries "${needed}" (e.g. authorize --scope "… ${needed}"), then try again.`,
    },
  );
}
