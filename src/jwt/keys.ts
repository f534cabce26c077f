import type { JSONWebKeySet } from "jose";
import { NetworkError, ProtocolError } from "../errors/cli-error.js";
import type { Fetcher } from "../oauth/discovery.js";

/** Where the key that must have signed the token comes from. */
export type KeySource =
  | { readonly kind: "secret"; readonly secret: Uint8Array; readonly from: string }
  | { readonly kind: "jwks"; readonly jwks: JSONWebKeySet; readonly from: string };

/** A JWK Set from text: a JSON object with a "keys" array (RFC 7517 §5). The error names `where`. */
export function parseJwks(text: string, where: string): JSONWebKeySet {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new ProtocolError(`${where} is not JSON, so not a JWK Set`);
  }
  const keys = (document as { keys?: unknown } | null)?.keys;
  if (typeof document !== "object" || document === null || !Array.isArray(keys)) throw new ProtocolError(`${where} is not a JWK Set: it needs a "keys" array (RFC 7517 §5)`);
  if (!keys.every((key) => typeof key === "object" && key !== null && !Array.isArray(key))) throw new ProtocolError(`${where}: every entry of "keys" must be a JSON object (a JWK)`);
  return document as JSONWebKeySet;
}

/**
 * Fetches the issuer's keys through the run's own HTTP layer (traced with -v, --ca-file and
 * proxies honoured), for jose's createLocalJWKSet, rather than letting jose fetch on its own.
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata (jwks_uri)
 */
export async function fetchJwks(fetch: Fetcher, url: string): Promise<KeySource> {
  const exchange = await fetch(url);
  const response = exchange.response;
  if (!response) throw new NetworkError(`could not fetch the keys from ${url}: ${exchange.failure?.message ?? "no answer"}`, { exchange, hint: exchange.failure?.hint });
  if (response.status !== 200) throw new ProtocolError(`the keys at ${url} answered HTTP ${response.status}, not a JWK Set`, { exchange });
  return { kind: "jwks", jwks: parseJwks(response.body, `the document at ${url}`), from: url };
}

/** The keys of a set as "kid (alg)" for messages. */
export function describeKeys(jwks: JSONWebKeySet): string {
  if (jwks.keys.length === 0) return "the set is empty";
  return jwks.keys.map((key) => `${key.kid !== undefined ? `kid ${JSON.stringify(key.kid)}` : "no kid"} (${key.alg ?? key.kty ?? "?"}${key.use ? `, use ${key.use}` : ""})`).join(", ");
}
