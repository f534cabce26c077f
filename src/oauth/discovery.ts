import { NetworkError, ProtocolError } from "../errors/cli-error.js";
import type { HttpExchange } from "../http/types.js";
import { ParameterError } from "./parameter-error.js";

/**
 * A discovery URL redirected to another origin, which is not followed; `issuer` is the issuer that
 * would reach the target directly, when the target is itself a discovery URL.
 */
export class DiscoveryRedirectError extends ProtocolError {
  override readonly name = "DiscoveryRedirectError";
  constructor(
    message: string,
    readonly location: string,
    readonly issuer: string | undefined,
    exchange: HttpExchange,
  ) {
    super(message, {
      exchange,
      details: ["  discovery follows a redirect only on the issuer's own origin: the document names where secrets are sent"],
      hint: issuer ? `If you trust that server, use the issuer ${issuer}` : "If you trust that server, use its issuer, or give the endpoints directly, without discovery.",
    });
  }
}

/** Neither discovery URL had a document: the caller can say how to go without discovery. */
export class MetadataNotFoundError extends ProtocolError {
  override readonly name = "MetadataNotFoundError";
}

/** Authorization server metadata; only the fields we read are typed, the rest kept. */
export interface ServerMetadata {
  readonly issuer: string;
  readonly authorization_endpoint?: string;
  readonly token_endpoint?: string;
  readonly token_endpoint_auth_methods_supported?: readonly string[];
  readonly grant_types_supported?: readonly string[];
  readonly scopes_supported?: readonly string[];
  readonly response_types_supported?: readonly string[];
  readonly code_challenge_methods_supported?: readonly string[];
  readonly authorization_response_iss_parameter_supported?: boolean;
  readonly introspection_endpoint?: string;
  readonly userinfo_endpoint?: string;
  readonly [field: string]: unknown;
}

/**
 * The two well-known URLs, in the order we try them.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.1 (suffix inserted before the issuer's path)
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationRequest (suffix appended)
 */
export function discoveryUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname === "/" ? "" : url.pathname.replace(/\/$/, "");
  return [`${url.origin}/.well-known/oauth-authorization-server${path}`, `${url.origin}${path}/.well-known/openid-configuration`];
}

export function validateIssuerUrl(issuer: string): void {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new ParameterError("issuer", `"${issuer}" is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new ParameterError("issuer", `"${issuer}" must be an https URL`);
  if (url.search || url.hash) throw new ParameterError("issuer", `"${issuer}" must not have a query or fragment (RFC 8414 §2)`);
}

export type Fetcher = (url: string) => Promise<HttpExchange>;

/** Where the metadata was found, and whether it was an OpenID Provider Configuration document. */
export interface Discovered {
  readonly metadata: ServerMetadata;
  /** The URL whose answer was the document (after a same-origin redirect, the redirect's target). */
  readonly url: string;
  /** Found at the OpenID Connect Discovery URL (`…/.well-known/openid-configuration`). */
  readonly openIdConfiguration: boolean;
}

export interface DiscoverOptions {
  /** Said on stderr by the caller (a same-origin redirect that was followed). */
  readonly note?: (message: string) => void;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Enough for a trailing slash or a moved path; more hops is a loop or a misconfiguration. */
const MAX_DISCOVERY_REDIRECTS = 3;
const OPENID_SUFFIX = "/.well-known/openid-configuration";
const RFC8414_PREFIX = "/.well-known/oauth-authorization-server";

/**
 * The issuer a discovery URL stands for (the inverse of {@link discoveryUrls}), so a refused
 * redirect can name the exact --issuer that would reach its target; undefined when the target is
 * not a discovery URL at all.
 */
export function issuerOfDiscoveryUrl(target: string): string | undefined {
  const url = new URL(target);
  const path = url.pathname.replace(/\/$/, "");
  if (path.endsWith(OPENID_SUFFIX)) return `${url.origin}${path.slice(0, -OPENID_SUFFIX.length)}`;
  if (path.startsWith(RFC8414_PREFIX)) return `${url.origin}${path.slice(RFC8414_PREFIX.length)}`;
  return undefined;
}

/**
 * A discovery GET that follows redirects only while they stay on the origin asked for: Django's
 * APPEND_SLASH answers `/.well-known/openid-configuration` with a 301 to the same path plus "/".
 * A redirect to another origin is not followed (the metadata names the endpoints secrets are sent
 * to, so its origin is the trust decision, RFC 8414 §6), and comes back as the final exchange.
 */
async function fetchFollowingSameOrigin(url: string, fetch: Fetcher, options: DiscoverOptions): Promise<{ exchange: HttpExchange; url: string }> {
  let current = url;
  for (let hop = 0; ; hop++) {
    const exchange = await fetch(current);
    const response = exchange.response;
    const location = response?.headers.location;
    if (!response || !REDIRECT_STATUSES.has(response.status) || !location || hop === MAX_DISCOVERY_REDIRECTS) return { exchange, url: current };
    let target: URL;
    try {
      target = new URL(location, current);
    } catch {
      return { exchange, url: current };
    }
    if (target.origin !== new URL(url).origin) return { exchange, url: current };
    options.note?.(`discovery: ${current} redirected (HTTP ${response.status}) to ${target.href} on the same origin; followed it`);
    current = target.href;
  }
}

/** A refused cross-origin redirect, said with its Location and the issuer that would go there directly. */
function crossOriginRedirect(url: string, exchange: HttpExchange): DiscoveryRedirectError | undefined {
  const response = exchange.response;
  const location = response?.headers.location;
  if (!response || !REDIRECT_STATUSES.has(response.status) || !location) return undefined;
  let target: string;
  try {
    target = new URL(location, url).href;
  } catch {
    return undefined;
  }
  // A same-origin redirect still here went round too many times: "not found" says where it went.
  if (new URL(target).origin === new URL(url).origin) return undefined;
  return new DiscoveryRedirectError(
    `discovery: ${url} answered HTTP ${response.status} with Location: ${target} (another origin; not followed)`,
    target,
    issuerOfDiscoveryUrl(target),
    exchange,
  );
}

/**
 * Fetches the server's metadata: RFC 8414 first, then OpenID Connect Discovery. The document's
 * `issuer` must equal the one given, character for character.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 */
export async function discover(issuer: string, fetch: Fetcher, options: DiscoverOptions = {}): Promise<ServerMetadata> {
  return (await discoverWithSource(issuer, fetch, options)).metadata;
}

/** {@link discover}, saying where the document was found. */
export async function discoverWithSource(issuer: string, fetch: Fetcher, options: DiscoverOptions = {}): Promise<Discovered> {
  validateIssuerUrl(issuer);
  const tried: string[] = [];
  let refused: DiscoveryRedirectError | undefined;
  for (const first of discoveryUrls(issuer)) {
    const { exchange, url } = await fetchFollowingSameOrigin(first, fetch, options);
    const response = exchange.response;
    if (!response) {
      throw new NetworkError(`discovery: could not reach ${url}: ${exchange.failure?.message ?? "no answer"}`, { exchange, hint: exchange.failure?.hint });
    }
    if (response.status !== 200) {
      // The other well-known URL may still answer; the refused redirect is said if none does.
      refused ??= crossOriginRedirect(url, exchange);
      tried.push(`${url} → HTTP ${response.status}${response.headers.location ? ` (Location: ${response.headers.location})` : ""}`);
      continue;
    }
    let document: unknown;
    try {
      document = JSON.parse(response.body);
    } catch {
      throw new ProtocolError(`discovery: ${url} did not return JSON (${response.headers["content-type"] ?? "no content type"})`, { exchange });
    }
    if (typeof document !== "object" || document === null || Array.isArray(document)) {
      throw new ProtocolError(`discovery: ${url} did not return a JSON object`, { exchange });
    }
    const metadata = document as ServerMetadata;
    if (typeof metadata.issuer !== "string") throw new ProtocolError(`discovery: ${url} has no "issuer"`, { exchange });
    if (metadata.issuer !== issuer) {
      throw new ProtocolError(`discovery: the document at ${url} is for issuer "${metadata.issuer}", not "${issuer}"`, {
        exchange,
        hint:
          metadata.issuer.replace(/\/$/, "") === issuer.replace(/\/$/, "")
            ? `Only a trailing slash differs; give the issuer as ${metadata.issuer} exactly (RFC 8414 §3.3 asks for an exact match).`
            : "RFC 8414 §3.3: the issuer in the document must be identical to the one asked for, else the metadata may be an impostor's.",
      });
    }
    return { metadata, url, openIdConfiguration: first.endsWith(OPENID_SUFFIX) };
  }
  if (refused) throw refused;
  throw new MetadataNotFoundError(`discovery: no metadata found for issuer ${issuer}`, {
    details: tried,
    hint: "Check the issuer URL, or give the endpoints directly, without discovery.",
  });
}
