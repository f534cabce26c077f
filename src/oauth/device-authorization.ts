import { OAuthServerError, ProtocolError } from "../errors/cli-error.js";
import type { HttpExchange, HttpRequest } from "../http/types.js";
import type { AuthMethod } from "./client-auth.js";
import { readJsonAnswer } from "./error-response.js";
import { buildTokenRequest } from "./token-request.js";

/** @see https://www.rfc-editor.org/rfc/rfc8628#section-3.4 */
export const DEVICE_CODE_GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";

/** Without `interval` in the response the client waits 5 s between polls (RFC 8628 §3.2). */
export const DEFAULT_POLL_INTERVAL_S = 5;

/** Each slow_down adds 5 s to the interval, for that and every later poll (RFC 8628 §3.5). */
export const SLOW_DOWN_STEP_S = 5;

/** The device authorization response; RFC names, unknown fields kept as sent. */
export interface DeviceAuthorization {
  readonly device_code: string;
  readonly user_code: string;
  readonly verification_uri: string;
  readonly verification_uri_complete?: string;
  readonly expires_in: number;
  readonly interval?: number;
  readonly [extension: string]: unknown;
}

export interface DeviceAuthorizationInput {
  readonly endpoint: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly authMethod: AuthMethod;
  /** client_secret_jwt and private_key_jwt: the signed assertion (RFC 7523 §2.2). */
  readonly clientAssertion?: string;
  readonly scope?: string;
  readonly params?: readonly (readonly [string, string])[];
  readonly headers?: readonly (readonly [string, string])[];
}

/**
 * The device authorization request: client_id and scope, with the same client authentication as
 * the token endpoint (RFC 8628 §3.1 refers to RFC 6749 §3.2.1). Always a form body, as §3.1 says:
 * --body-format is for the token endpoint only. Pure.
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.1
 */
export function buildDeviceAuthorizationRequest(input: DeviceAuthorizationInput): HttpRequest {
  return buildTokenRequest({ ...input, tokenEndpoint: input.endpoint, grant: {}, bodyFormat: "form" });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Validates the device authorization response in a fixed order: status → JSON object → each
 * field. Messages name the field that failed. An OAuth error comes back as {@link OAuthServerError}.
 * Google's `verification_url` (its name before RFC 8628) is read as verification_uri, with a note.
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.2
 */
export function parseDeviceAuthorizationResponse(exchange: HttpExchange): { authorization: DeviceAuthorization; notes: string[] } {
  const response = exchange.response;
  if (!response) throw new ProtocolError("no response to parse", { exchange });
  const where = `the device authorization endpoint (HTTP ${response.status})`;
  const { body, error } = readJsonAnswer(response);
  if (error) throw new OAuthServerError(error, { exchange });
  if (response.status !== 200) {
    throw new ProtocolError(`${where} failed without an OAuth error body`, { exchange, hint: "Run with -v to see the whole exchange." });
  }
  if (!isRecord(body)) throw new ProtocolError(`${where} did not send a JSON object`, { exchange });

  const notes: string[] = [];
  const fields: Record<string, unknown> = { ...body };
  if (fields.verification_uri === undefined && typeof fields.verification_url === "string") {
    fields.verification_uri = fields.verification_url;
    notes.push('the server calls verification_uri "verification_url" (an older name); read as verification_uri');
  }
  const fail = (field: string, rule: string) =>
    new ProtocolError(`the device authorization response's "${field}" ${rule}`, { exchange, hint: "See RFC 8628 §3.2 for the fields it must have." });
  for (const name of ["device_code", "user_code", "verification_uri"]) {
    if (typeof fields[name] !== "string" || fields[name] === "") throw fail(name, fields[name] === undefined ? "is missing" : "must be a non-empty string");
  }
  if (fields.verification_uri_complete !== undefined && typeof fields.verification_uri_complete !== "string") throw fail("verification_uri_complete", "must be a string");
  // These are printed on the user's terminal: no escape sequence from the server gets there.
  for (const name of ["user_code", "verification_uri", "verification_uri_complete"]) {
    const value = fields[name];
    if (typeof value === "string" && /[\u0000-\u001f\u007f-\u009f]/.test(value)) throw fail(name, "must not contain control characters");
  }
  for (const name of ["verification_uri", "verification_uri_complete"]) {
    const value = fields[name];
    if (typeof value === "string" && !/^https?:\/\//i.test(value)) throw fail(name, `must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  const expiresIn = Number(fields.expires_in);
  if (fields.expires_in === undefined || !Number.isFinite(expiresIn) || expiresIn <= 0) throw fail("expires_in", fields.expires_in === undefined ? "is missing" : `must be a positive number of seconds, got ${JSON.stringify(fields.expires_in)}`);
  let interval: number | undefined;
  if (fields.interval !== undefined) {
    interval = Number(fields.interval);
    if (!Number.isFinite(interval) || interval < 0) throw fail("interval", `must be a number of seconds, got ${JSON.stringify(fields.interval)}`);
  }
  return { authorization: { ...fields, expires_in: expiresIn, interval } as DeviceAuthorization, notes };
}

/** What a poll's error means for the next one. @see https://www.rfc-editor.org/rfc/rfc8628#section-3.5 */
export type PollVerdict = "pending" | "slow-down" | "stop";

/**
 * authorization_pending and slow_down keep the client polling; anything else (access_denied,
 * expired_token, a provider's authorization_expired, invalid_grant, …) ends it. Some providers
 * send the waiting codes with 401 (see docs on extended error tables) or 200 (GitHub): the code
 * decides, not the status.
 */
export function pollVerdict(error: string): PollVerdict {
  if (error === "authorization_pending") return "pending";
  if (error === "slow_down") return "slow-down";
  return "stop";
}
