/** Which wire shape an error arrived in. */
export type ErrorFormat =
  | "rfc6749" // {"error","error_description","error_uri"} (RFC 6749 §5.2), description string or array (seed 001)
  | "legacy-envelope" // {"success":false,"errorMessage","errorDetails","errorCode"} (seed 001)
  | "sdk-exception" // {"ErrorCode","ErrorDescription","HttpMeta"} (seed 000)
  | "envelope" // other provider envelopes: {"ok":false,"error":…}, {"ErrorCode":…,"Error":…}, …
  | "form" // application/x-www-form-urlencoded body or query string
  | "redirect" // a whole redirect URL carrying error=…
  | "www-authenticate" // a WWW-Authenticate challenge (RFC 6750 §3, RFC 9449 §7.1)
  | "provider-message" // free text such as "AADSTS54005: …"
  | "code" // a bare error code
  | "http-status"; // no OAuth body at all, only an HTTP status

/** HTTP facts shown with every error (seed 000's HttpMeta). */
export interface HttpMeta {
  readonly status?: number;
  readonly statusText?: string;
  readonly contentType?: string;
  /** request-id / trace-id / correlation headers or body fields, name → value. */
  readonly requestIds: Readonly<Record<string, string>>;
  /** The server's Date header, raw. */
  readonly date?: string;
  readonly wwwAuthenticate?: string;
}

/** An OAuth error as read from whatever the provider sent, normalised to RFC 6749 §5.2 names. */
export interface OAuthErrorReport {
  readonly format: ErrorFormat;
  /** The error code (`invalid_grant`, `AADSTS54005`, `bad_verification_code`, …). */
  readonly error: string;
  /** Description; an array (seed 001) is joined with "; ". */
  readonly error_description?: string;
  /** The description items as sent, when the server sent an array. */
  readonly descriptions?: readonly string[];
  readonly error_uri?: string;
  readonly state?: string;
  /** Provider-specific codes seen alongside (e.g. Entra's error_codes, an AADSTS code in the description). */
  readonly providerCodes?: readonly string[];
  readonly http?: HttpMeta;
  /** Every other field the server sent, kept as sent. */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** Where a code is used. */
export type UsedAt =
  | "authorization-redirect"
  | "token-endpoint"
  | "resource-server"
  | "device-flow"
  | "revocation"
  | "introspection"
  | "registration"
  | "par"
  | "backchannel"
  | "federation"
  | "presentation";

export interface SpecLink {
  /** "RFC 6749 §5.2", "OpenID Connect Core 1.0 §3.1.2.6", "Microsoft Entra error codes" */
  readonly name: string;
  readonly url: string;
}

export interface Cause {
  /** Stable id used by context diagnosis to re-rank (e.g. "code-reused", "redirect-uri-mismatch"). */
  readonly id: string;
  readonly text: string;
  /** How to test this cause with oauth-cli (flags, a command). */
  readonly test?: string;
}

export interface CatalogueEntry {
  readonly code: string;
  /** undefined for a standard code; otherwise the provider ("microsoft", "github", "seed-002", …). */
  readonly provider?: string;
  /** One line: what it means. */
  readonly title: string;
  readonly meaning: string;
  readonly spec: SpecLink;
  readonly usedAt: readonly UsedAt[];
  /** HTTP statuses the spec or the provider's table gives. Empty for a redirect-only code. */
  readonly httpStatus: readonly number[];
  /** Most likely first. */
  readonly causes: readonly Cause[];
  readonly nextSteps: readonly string[];
  /** Where the facts came from (a document, a registry, a seed file). */
  readonly source: string;
  /** For a provider code: the RFC 6749-style `error` it arrives as or corresponds to (e.g. AADSTS54005 → "invalid_grant"). */
  readonly standardCode?: string;
}
