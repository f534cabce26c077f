import type { Cause, SpecLink } from "../types.js";

/**
 * A rule keyed on the human-readable `error_description` (or a legacy errorMessage) rather than the code,
 * for providers whose code alone says little (seed 003, Keycloak, Google, Okta, …).
 */
export interface DescriptionRule {
  /** Stable kebab-case id, e.g. "seed-003-localhost-redirect". */
  readonly id: string;
  /** "seed-003", "google", "keycloak", "microsoft", … */
  readonly provider: string;
  /** Case-insensitive; tolerant of "+" for a space and of trailing punctuation. */
  readonly match: RegExp;
  /** For a rule made from a provider code found in the description (AADSTS54005): that code. */
  readonly code?: string;
  /** The `error` code this description arrives with; when set, a given error must equal it. */
  readonly error?: string;
  /** HTTP statuses this description is documented with. */
  readonly httpStatus?: readonly number[];
  readonly meaning: string;
  /** Most likely first. */
  readonly causes: readonly Cause[];
  readonly nextSteps: readonly string[];
  readonly spec: SpecLink;
  readonly source: string;
}

export interface StatusAdvice {
  readonly meaning: string;
  readonly causes: readonly Cause[];
  readonly nextSteps: readonly string[];
}
