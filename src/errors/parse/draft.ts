/**
 * The draft each recogniser fills in, the small helpers that fill it, and {@link finishDraft},
 * which turns it into the {@link OAuthErrorReport} the rest of the CLI reads.
 */
import type { ErrorFormat, OAuthErrorReport } from "../types.js";
import { MAX_KEYS } from "./scan.js";

/** Header and body-field names that carry a request / trace / correlation id. */
export const REQUEST_ID_NAME = /request-?_?id|trace|correlation|cf-ray|cf-id|^errorid$/i;

/** True for a header or field name that carries a request / trace / correlation id. */
export function isRequestIdName(name: string): boolean {
  return REQUEST_ID_NAME.test(name);
}

export interface MutableHttp {
  status?: number;
  statusText?: string;
  contentType?: string;
  requestIds: Record<string, string>;
  date?: string;
  wwwAuthenticate?: string;
}

export interface Draft {
  format: ErrorFormat;
  error: string;
  error_description?: string;
  descriptions?: string[];
  error_uri?: string;
  state?: string;
  providerCodes: string[];
  http: MutableHttp;
  extra: Record<string, unknown>;
}

export interface Ctx {
  readonly notes: string[];
  /** Why the closest recogniser said no; the first one set wins. */
  reason?: string;
}

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function scalar(v: unknown): string | undefined {
  return typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
}

export function newDraft(format: ErrorFormat, error: string): Draft {
  return { format, error, providerCodes: [], http: { requestIds: {} }, extra: {} };
}

export function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function finishDraft(d: Draft): OAuthErrorReport {
  // Entra's error_uri names its code (…/error?code=70000) even when error_codes was cut off.
  const entra = /^https:\/\/login\.microsoftonline\.(?:com|us)\/error\?code=(\d{1,10})\b/.exec(d.error_uri ?? "");
  if (entra !== null && !d.providerCodes.includes(`AADSTS${entra[1]}`)) d.providerCodes.push(`AADSTS${entra[1]}`);
  const h = d.http;
  const hasHttp =
    h.status !== undefined ||
    h.statusText !== undefined ||
    h.contentType !== undefined ||
    h.date !== undefined ||
    h.wwwAuthenticate !== undefined ||
    Object.keys(h.requestIds).length > 0;
  return {
    format: d.format,
    error: d.error,
    ...(d.error_description !== undefined && { error_description: d.error_description }),
    ...(d.descriptions !== undefined && { descriptions: d.descriptions }),
    ...(d.error_uri !== undefined && { error_uri: d.error_uri }),
    ...(d.state !== undefined && { state: d.state }),
    ...(d.providerCodes.length > 0 && { providerCodes: d.providerCodes }),
    ...(hasHttp && { http: { ...dropUndefined(h), requestIds: h.requestIds } }),
    extra: d.extra,
  };
}

/** A string, or an array of strings joined with "; " (seed 001). */
export function setDescription(d: Draft, v: unknown): void {
  if (Array.isArray(v)) {
    const items = v.slice(0, MAX_KEYS).map(scalar).filter((x): x is string => x !== undefined);
    d.descriptions = items;
    d.error_description = items.join("; ");
  } else {
    const s = scalar(v);
    if (s !== undefined && s !== "") d.error_description = s;
  }
}

export function applyHeader(http: MutableHttp, name: string, value: string): void {
  const lower = name.toLowerCase();
  if (lower === "content-type") http.contentType = value;
  else if (lower === "date") http.date = value;
  else if (lower === "www-authenticate") http.wwwAuthenticate = http.wwwAuthenticate === undefined ? value : `${http.wwwAuthenticate}, ${value}`;
  else if (REQUEST_ID_NAME.test(lower)) http.requestIds[lower] = value;
}
