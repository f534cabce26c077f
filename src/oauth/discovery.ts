import { NetworkError, ProtocolError } from "../errors/cli-error.js";
import type { HttpExchange } from "../http/types.js";
import { ParameterError } from "./parameter-error.js";

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

/**
 * Fetches the server's metadata: RFC 8414 first, then OpenID Connect Discovery. The document's
 * `issuer` must equal the one given, character for character.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 */
export async function discover(issuer: string, fetch: Fetcher): Promise<ServerMetadata> {
  validateIssuerUrl(issuer);
  const tried: string[] = [];
  for (const url of discoveryUrls(issuer)) {
    const exchange = await fetch(url);
    const response = exchange.response;
    if (!response) {
      throw new NetworkError(`discovery: could not reach ${url}: ${exchange.failure?.message ?? "no answer"}`, { exchange, hint: exchange.failure?.hint });
    }
    if (response.status !== 200) {
      tried.push(`${url} → HTTP ${response.status}`);
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
    return metadata;
  }
  throw new MetadataNotFoundError(`discovery: no metadata found for issuer ${issuer}`, {
    details: tried,
    hint: "Check the issuer URL, or give the endpoints directly, without discovery.",
  });
}
