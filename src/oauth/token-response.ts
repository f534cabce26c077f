import { OAuthServerError, ProtocolError } from "../errors/cli-error.js";
import type { HttpExchange, HttpResponse } from "../http/types.js";
import { httpMetaOf, readErrorForm, readErrorObject } from "./error-response.js";

/** A successful token response, RFC 6749 names, plus expires_at; unknown fields kept as sent. */
export interface TokenResult {
  readonly access_token: string;
  readonly token_type: string;
  readonly expires_in?: number;
  readonly refresh_token?: string;
  readonly scope?: string;
  readonly id_token?: string;
  /** Computed: when the access token expires (ISO 8601). */
  readonly expires_at?: string;
  readonly [extension: string]: unknown;
}

export interface ParsedTokenResponse {
  readonly tokens: TokenResult;
  /** Things worth telling the user on stderr (deprecated format used, …). */
  readonly notes: readonly string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describeBody(response: HttpResponse): string {
  const type = response.headers["content-type"] ?? "no content type";
  const snippet = response.body.replace(/\s+/g, " ").trim().slice(0, 160);
  if (/<html|<!doctype/i.test(response.body)) {
    const title = /<title>([^<]{0,120})<\/title>/i.exec(response.body)?.[1]?.trim();
    return `an HTML page${title ? ` titled "${title}"` : ""} (${type}), typically a proxy, gateway or login page rather than the token endpoint itself`;
  }
  return snippet ? `${type}: ${snippet}${response.body.length > 160 ? "…" : ""}` : `an empty body (${type})`;
}

/** Parses the body as JSON, or as a form (GitHub answers form-encoded unless asked for JSON). */
function decodeBody(response: HttpResponse): unknown {
  const type = response.headers["content-type"] ?? "";
  const body = response.body.trim();
  if (body.startsWith("{") || body.startsWith("[") || /json/i.test(type)) {
    try {
      return JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  if (/x-www-form-urlencoded/i.test(type) || /^[\w.~%+-]+=[^<>{}\s]*(&|$)/.test(body)) {
    return Object.fromEntries(new URLSearchParams(body));
  }
  return undefined;
}

/**
 * Validates a token endpoint response in a fixed order: transport → status → body is an object
 * → each field's type. Errors name the field that failed.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function parseTokenResponse(exchange: HttpExchange, now: number): ParsedTokenResponse {
  const response = exchange.response;
  if (!response) throw new ProtocolError("no response to parse", { exchange });
  const http = httpMetaOf(response);
  const where = `the token endpoint (HTTP ${response.status})`;

  if (response.status >= 300 && response.status < 400) {
    const location = response.headers.location;
    throw new ProtocolError(`${where} redirected${location ? ` to ${location}` : ""} instead of answering`, {
      exchange,
      hint: "A token endpoint answers directly. Check the URL: http vs https, a missing or extra trailing slash, or a login page in front of it.",
    });
  }
  if (response.truncated) throw new ProtocolError(`${where} sent a body larger than the size cap`, { exchange });

  const body = decodeBody(response);
  const oauthError = readErrorObject(body, http);
  if (oauthError || (response.status >= 400 && isRecord(body) && typeof body.error === "string")) {
    throw new OAuthServerError(oauthError!, { exchange });
  }
  if (response.status >= 400) {
    throw new ProtocolError(`${where} failed without an OAuth error body: ${describeBody(response)}`, {
      exchange,
      hint: "An OAuth server answers errors with a JSON object holding \"error\" (RFC 6749 §5.2). Run with -v to see the whole exchange.",
    });
  }
  if (!isRecord(body)) {
    throw new ProtocolError(`${where} did not send a JSON object: ${describeBody(response)}`, { exchange });
  }

  const notes: string[] = [];
  let fields: Record<string, unknown> = body;
  // Seed 001's deprecated envelope: {"success":true,"data":{access_token, ttl, issued_at, expires_at}}.
  if (body.success === true && isRecord(body.data) && body.access_token === undefined) {
    const { ttl, ...data } = body.data;
    fields = { ...data, ...(data.expires_in === undefined && ttl !== undefined ? { expires_in: ttl } : {}) };
    notes.push("the provider answered in its deprecated legacy format ({\"success\":true,\"data\":{…}}); normalised to RFC 6749 fields");
  }
  return { tokens: validateTokenFields(fields, now, exchange), notes };
}

function validateTokenFields(fields: Record<string, unknown>, now: number, exchange: HttpExchange): TokenResult {
  const fail = (field: string, rule: string) =>
    new ProtocolError(`the token response's "${field}" ${rule}`, { exchange, hint: "See RFC 6749 §5.1 for the fields a token response must have." });
  if (typeof fields.access_token !== "string" || fields.access_token === "") throw fail("access_token", fields.access_token === undefined ? "is missing" : "must be a non-empty string");
  if (typeof fields.token_type !== "string" || fields.token_type === "") throw fail("token_type", fields.token_type === undefined ? "is missing" : "must be a string");
  for (const name of ["refresh_token", "scope", "id_token"]) {
    if (fields[name] !== undefined && typeof fields[name] !== "string") throw fail(name, "must be a string");
  }
  let expiresIn: number | undefined;
  if (fields.expires_in !== undefined && fields.expires_in !== null && fields.expires_in !== "") {
    // Microsoft sends expires_in as a string; accept any numeric form.
    expiresIn = typeof fields.expires_in === "number" ? fields.expires_in : Number(fields.expires_in);
    if (!Number.isFinite(expiresIn) || expiresIn < 0) throw fail("expires_in", `must be a number of seconds, got ${JSON.stringify(fields.expires_in)}`);
  }
  let expiresAt: string | undefined;
  if (expiresIn !== undefined) expiresAt = new Date(now + expiresIn * 1000).toISOString();
  else if (typeof fields.expires_at === "string" && !Number.isNaN(Date.parse(fields.expires_at))) expiresAt = new Date(Date.parse(fields.expires_at)).toISOString();
  return { ...fields, access_token: fields.access_token, token_type: fields.token_type, expires_in: expiresIn, expires_at: expiresAt } as TokenResult;
}
