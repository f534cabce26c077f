/** Error codes: when a word is one, and the provider codes (Entra's AADSTS…) a report carries. */
import { type Draft, scalar } from "./draft.js";
import { MAX_TEXT_HEAD } from "./scan.js";

const KNOWN_SINGLE_WORD_CODES = new Set(["unauthenticated", "UNAUTHENTICATED"]);

/**
 * The bare-code heuristic. A single token of [A-Za-z0-9_.-] is an error code when it is
 *  - lower snake_case with at least one underscore (`invalid_grant`, `bad_verification_code`), or
 *  - UPPER_SNAKE_CASE with at least one underscore (`INVALID_ARGUMENT`, `AN_UNKNOWN_ERROR_OCCURRED`), or
 *  - a provider code: 1–10 capital letters then 3+ digits (`AADSTS70008`, Okta's `E0000011`), or
 *  - one of a few known single-word codes (`UNAUTHENTICATED`).
 * Plain words (`hello`, `Unauthorized`, `Forbidden`) and numbers are not codes: an HTTP-status-ish
 * word is not enough to claim an OAuth error.
 */
export function looksLikeErrorCode(token: string): boolean {
  if (token.length < 2 || token.length > 100) return false;
  return (
    /^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/.test(token) ||
    /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(token) ||
    /^[A-Z]{1,10}\d{3,}$/.test(token) ||
    KNOWN_SINGLE_WORD_CODES.has(token)
  );
}

/** The AADSTS codes a text names (its head, the first 20), each once. */
export function addProviderCodes(d: Draft, text: string): void {
  const re = /AADSTS\d{1,10}/g;
  const head = text.length > MAX_TEXT_HEAD ? text.slice(0, MAX_TEXT_HEAD) : text;
  for (let m = re.exec(head), i = 0; m !== null && i < 20; m = re.exec(head), i++) {
    if (!d.providerCodes.includes(m[0])) d.providerCodes.push(m[0]);
  }
}

/** Entra's `error_codes: [54005]` become `AADSTS54005` when the body is Entra's. */
export function addEntraCodes(d: Draft, codes: unknown): void {
  if (!Array.isArray(codes)) return;
  const entra = (d.error_description ?? "").includes("AADSTS") || "trace_id" in d.http.requestIds;
  for (const c of codes.slice(0, 20)) {
    const s = scalar(c);
    if (s === undefined) continue;
    const code = entra && /^\d+$/.test(s) ? `AADSTS${s}` : s;
    if (!d.providerCodes.includes(code)) d.providerCodes.push(code);
  }
}
