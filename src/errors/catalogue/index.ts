/**
 * The OAuth error catalogue: data plus small pure lookups (in the style of zx's error.ts).
 * @see https://www.iana.org/assignments/oauth-parameters/oauth-parameters.xhtml#extensions-error
 */
import type { CatalogueEntry } from "../types.js";
import { EXTENSION_ENTRIES } from "./extensions.js";
import { normaliseDescription } from "./match.js";
import { microsoftEntries } from "./microsoft.js";
import { PROVIDER_ENTRIES } from "./providers.js";
import { providerRules } from "./provider-rules.js";
import { seed000Rules, seed001Rules, seed003Rules } from "./seed-rules.js";
import { SEED_001_CODES, SEED_002_TABLE, SEED_003_CODES, SEED_ENTRIES } from "./seeds.js";
import { CORE_ENTRIES } from "./standard.js";
import { builtOnFirstUse } from "./tools.js";
import type { DescriptionRule } from "./types.js";

export type { DescriptionRule, StatusAdvice } from "./types.js";
export { genericAdviceForStatus } from "./generic.js";
export { SEED_001_LEGACY_FIELDS, SEED_002_TABLE } from "./seeds.js";
export { microsoftCodes } from "./microsoft.js";

/** Every code of the IANA OAuth Extensions Error Registry (as of 2026-03-25, reference/oauth-errors.md). */
export const IANA_REGISTRY_CODES: readonly string[] = [
  "invalid_request", "unauthorized_client", "access_denied", "unsupported_response_type", "invalid_scope",
  "server_error", "temporarily_unavailable", "invalid_client", "invalid_grant", "unsupported_grant_type",
  "invalid_token", "insufficient_scope", "unsupported_token_type",
  "interaction_required", "login_required", "account_selection_required", "consent_required",
  "invalid_request_uri", "invalid_request_object", "request_not_supported", "request_uri_not_supported", "registration_not_supported",
  "need_info", "request_denied", "request_submitted",
  "invalid_redirect_uri", "invalid_client_metadata", "invalid_software_statement", "unapproved_software_statement",
  "authorization_pending", "slow_down", "expired_token",
  "invalid_target", "unsupported_pop_key", "incompatible_ace_profiles", "invalid_authorization_details",
  "invalid_dpop_proof", "use_dpop_nonce", "insufficient_user_authentication",
  "invalid_issuer", "invalid_subject", "invalid_trust_anchor", "invalid_trust_chain", "invalid_metadata", "not_found", "unsupported_parameter",
  "vp_formats_not_supported", "wallet_unavailable", "invalid_request_uri_method",
];

/** Real codes outside the registry (reference/oauth-errors.md "Not in IANA but real"). */
export const NON_REGISTRY_CODES: readonly string[] = [
  "expired_login_hint_token", "unknown_user_id", "missing_user_code", "invalid_user_code", "invalid_binding_message",
  "transaction_failed", "unmet_authentication_requirements",
  "use_attestation_challenge", "use_fresh_attestation", "invalid_client_attestation", "unsupported_response_mode",
];

/** Every code appearing in the seed tables (002 table, 003 errors, 001 codes). */
export const SEED_CODES: readonly string[] = [
  ...new Set([...SEED_002_TABLE.map(([code]) => code), ...SEED_003_CODES, ...SEED_001_CODES]),
];

const entries = builtOnFirstUse("all entries", (): readonly CatalogueEntry[] => [
  ...CORE_ENTRIES,
  ...EXTENSION_ENTRIES,
  ...SEED_ENTRIES,
  ...microsoftEntries(),
  ...PROVIDER_ENTRIES,
]);

export function allEntries(): readonly CatalogueEntry[] {
  return entries();
}

/** Entries by lower-case code; standard entries (no provider) first within each code. */
function indexByCode(list: readonly CatalogueEntry[]): Map<string, CatalogueEntry[]> {
  const byCode = new Map<string, CatalogueEntry[]>();
  for (const entry of list) {
    const key = entry.code.toLowerCase();
    const same = byCode.get(key) ?? [];
    same.push(entry);
    byCode.set(key, same);
  }
  for (const same of byCode.values()) same.sort((a, b) => Number(a.provider !== undefined) - Number(b.provider !== undefined));
  return byCode;
}

// Every Entra code starts with AADSTS and no other entry's does (test/errors/catalogue.test.ts), so
// the Entra table is built only for such a code.
const indexWithoutMicrosoft = builtOnFirstUse("index", () => indexByCode([...CORE_ENTRIES, ...EXTENSION_ENTRIES, ...SEED_ENTRIES, ...PROVIDER_ENTRIES]));
const microsoftIndex = builtOnFirstUse("microsoft index", () => indexByCode(microsoftEntries()));

/** The entries filed under a key made by {@link keyFor}. */
function entriesFor(key: string): CatalogueEntry[] | undefined {
  return (key.startsWith("aadsts") ? microsoftIndex() : indexWithoutMicrosoft()).get(key);
}

/** "aadsts54005" → "aadsts54005"; "54005" with provider microsoft → "aadsts54005". */
function keyFor(code: string, provider?: string): string {
  const key = code.trim().toLowerCase();
  if (/^\d+$/.test(key) && provider?.toLowerCase() === "microsoft") return `aadsts${key}`;
  return key;
}

/**
 * The entry for a code: the provider's variant when `provider` is given and has one, else the standard entry,
 * else (no standard entry) the first provider entry. Case-insensitive.
 */
export function lookupCode(code: string, provider?: string): CatalogueEntry | undefined {
  const list = entriesFor(keyFor(code, provider));
  if (!list) return undefined;
  if (provider) {
    const p = provider.toLowerCase();
    const own = list.find((e) => e.provider?.toLowerCase() === p);
    if (own) return own;
  }
  return list[0];
}

/** The standard entry and every provider variant of a code. */
export function entriesForCode(code: string): CatalogueEntry[] {
  return [...(entriesFor(keyFor(code)) ?? [])];
}

/** Built when a description is first matched: a bare error code needs none. */
const rules = builtOnFirstUse("rules", (): readonly DescriptionRule[] => [...seed003Rules(), ...seed001Rules(), ...seed000Rules(), ...providerRules()]);

export function allRules(): readonly DescriptionRule[] {
  return rules();
}

/** AADSTS codes (normalised to "AADSTS54005") found anywhere in a text, in order, without repeats. */
export function findProviderCodes(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/\bAADSTS(\d{4,8})\b/gi)) found.add(`AADSTS${m[1]}`);
  return [...found];
}

let msRules: Map<string, DescriptionRule> | undefined;

/** Description rules derived from Entra entries, built on first use. */
function microsoftRule(code: string): DescriptionRule | undefined {
  if (!msRules) {
    msRules = new Map();
    for (const e of microsoftEntries()) {
      const base = {
        id: `microsoft-${e.code.toLowerCase()}`,
        provider: "microsoft",
        code: e.code,
        match: new RegExp(`\\b${e.code}\\b`, "i"),
        httpStatus: e.httpStatus,
        meaning: `${e.code}: ${e.meaning}`,
        causes: e.causes,
        nextSteps: e.nextSteps,
        spec: e.spec,
        source: e.source,
      };
      msRules.set(e.code.toUpperCase(), e.standardCode ? { ...base, error: e.standardCode } : base);
    }
  }
  return msRules.get(code.toUpperCase());
}

/**
 * Rules whose pattern matches the description (and whose error equals `error`, when both are given),
 * best first: rules for AADSTS codes found in the text, then rules agreeing on the error, then the more specific.
 */
export function matchDescription(text: string, error?: string): DescriptionRule[] {
  const raw = text ?? "";
  const normalised = normaliseDescription(raw);
  const wanted = error?.trim().toLowerCase();
  const scored: { rule: DescriptionRule; score: number; order: number }[] = [];
  let order = 0;
  for (const code of findProviderCodes(normalised)) {
    const rule = microsoftRule(code);
    if (rule) scored.push({ rule, score: 10_000, order: order++ });
  }
  for (const rule of rules()) {
    if (!(rule.match.test(normalised) || rule.match.test(raw))) continue;
    if (wanted && rule.error && rule.error.toLowerCase() !== wanted) continue;
    const agrees = wanted !== undefined && rule.error?.toLowerCase() === wanted ? 1_000 : 0;
    scored.push({ rule, score: agrees + rule.match.source.length, order: order++ });
  }
  return scored.sort((a, b) => b.score - a.score || a.order - b.order).map((s) => s.rule);
}
