import { UsageError } from "../../errors/cli-error.js";
import { isLoopbackHost } from "../../loopback/host.js";
import { discover, type ServerMetadata } from "../../oauth/discovery.js";
import { envValue } from "./env.js";
import { CLIENT_FLAGS } from "./flags.js";
import type { FlagTable } from "./flag-table.js";
import { withFlagNames } from "./parameter-flags.js";
import type { ClientConfig } from "./resolve.js";
import type { Session } from "./session.js";
import { signAssertion } from "./token-request.js";

/**
 * The helpers of the commands that use a token rather than get one (introspect, revoke, userinfo,
 * request): an endpoint other than the token endpoint, found by discovery or named by a flag, and
 * the token to send, from a flag, its environment variable or standard input.
 */

/**
 * Client authentication without --body-format (these endpoints take form bodies only, RFC 7662 §2.1,
 * RFC 7009 §2.1), but with the assertion and certificate flags of the token endpoint.
 */
export const CLIENT_AUTH_FLAGS = {
  clientId: CLIENT_FLAGS.clientId,
  clientSecretFile: CLIENT_FLAGS.clientSecretFile,
  clientSecret: CLIENT_FLAGS.clientSecret,
  authMethod: CLIENT_FLAGS.authMethod,
  privateKey: CLIENT_FLAGS.privateKey,
  keyId: CLIENT_FLAGS.keyId,
  signingAlg: CLIENT_FLAGS.signingAlg,
  assertionAudience: { value: "<aud>", description: "the assertion's aud: the endpoint called (default), issuer, or a URL" },
  cert: CLIENT_FLAGS.cert,
  key: CLIENT_FLAGS.key,
} as const satisfies FlagTable;

/** Which endpoint: the flag that names it, the discovery field that publishes it, and what it is for. */
export interface EndpointKind {
  readonly flag: string;
  readonly field: "introspection_endpoint" | "revocation_endpoint" | "userinfo_endpoint";
  /** "token introspection (RFC 7662)": said when the server publishes none. */
  readonly what: string;
}

export interface ServerEndpoint {
  readonly url: string;
  readonly issuer?: string;
  /** The discovery document, when there was one: it names the client auth methods the endpoint takes. */
  readonly metadata?: ServerMetadata;
}

/**
 * The flag's URL, else the one the issuer's discovery document publishes; a server that
 * publishes none is said to be one, naming the flag that goes without discovery.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export async function resolveServerEndpoint(session: Session, kind: EndpointKind, given: string | undefined, issuer: string | undefined): Promise<ServerEndpoint> {
  if (given !== undefined) return { url: checkEndpointUrl(session, kind.flag, given), issuer };
  if (issuer === undefined) throw new UsageError(`missing ${kind.flag} URL or --issuer URL`);
  const metadata = await withFlagNames(() => discover(issuer, (url) => session.get(url)));
  const published = metadata[kind.field];
  if (typeof published !== "string" || published === "") {
    throw new UsageError(`the server ${issuer} publishes no ${kind.field} in its discovery document: it does not offer ${kind.what}, or not at a published address`, {
      hint: `If it has one anyway, give it with ${kind.flag} URL.`,
    });
  }
  return { url: checkEndpointUrl(session, `${kind.field} in the discovery document`, published), issuer: metadata.issuer, metadata };
}

function checkEndpointUrl(session: Session, what: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${what}: "${value}" is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new UsageError(`${what}: "${value}" must be an http(s) URL`);
  // Tokens cross the wire here too (RFC 9700 §2.6).
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) session.warn(`${value} is plain http: the token crosses the network unencrypted (RFC 9700 §2.6)`);
  return value;
}

/**
 * The metadata as resolveClient reads it, with this endpoint's own auth methods
 * (`introspection_endpoint_auth_methods_supported`, …) in place of the token endpoint's.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export function authMetadataFor(kind: EndpointKind, metadata: ServerMetadata | undefined): ServerMetadata | undefined {
  if (metadata === undefined) return undefined;
  const own = metadata[`${kind.field}_auth_methods_supported`];
  return Array.isArray(own) ? { ...metadata, token_endpoint_auth_methods_supported: own as string[] } : metadata;
}

/** A token from its flag (`-` reads standard input) or its environment variable; undefined when neither gave one. */
export async function readTokenFlag(session: Session, flag: string, value: string | undefined, env: string): Promise<string | undefined> {
  const given = value ?? envValue(session.ctx.env, env);
  if (given === undefined) return undefined;
  const token = given === "-" ? await session.readStdin(flag, { secret: true }) : given.trim();
  if (token === "" || /\s/.test(token)) throw new UsageError(`${flag}: ${token === "" ? "the token is empty" : "a token has no spaces or line breaks in it (pasted two?)"}`);
  session.addSecret(token);
  return token;
}

/**
 * With a client certificate, the server's mutual-TLS alias of this endpoint when discovery has one
 * and no flag named the endpoint (RFC 8705 §5).
 * @see https://www.rfc-editor.org/rfc/rfc8705#section-5
 */
export function withEndpointMtlsAlias(session: Session, kind: EndpointKind, endpoint: ServerEndpoint, client: ClientConfig, given: string | undefined): ServerEndpoint {
  if (!client.certificate || given !== undefined) return endpoint;
  const aliases = endpoint.metadata?.mtls_endpoint_aliases as Record<string, unknown> | undefined;
  const alias = aliases?.[kind.field];
  if (typeof alias !== "string" || alias === endpoint.url) return endpoint;
  const url = checkEndpointUrl(session, `mtls_endpoint_aliases.${kind.field}`, alias);
  session.note(`the request goes to ${url}, the server's mutual-TLS alias of its ${kind.field} (mtls_endpoint_aliases)`);
  return { ...endpoint, url };
}

/**
 * A fresh client assertion for one request to this endpoint (a jti is good once), its header and
 * claims shown with -v. Its default aud is the endpoint called, which RFC 7523 §3 allows and
 * oidc-provider accepts as it does the issuer.
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-3
 */
export async function endpointAssertion(session: Session, endpoint: ServerEndpoint, client: ClientConfig): Promise<string | undefined> {
  const signed = await signAssertion(session, { client, endpoints: { tokenEndpoint: endpoint.url, issuer: endpoint.issuer } });
  if (signed && session.options.verbose) {
    session.ctx.stderr.write(`* client_assertion header ${JSON.stringify(signed.header)}\n* client_assertion claims ${JSON.stringify(signed.claims)} (signature redacted)\n`);
  }
  return signed?.jwt;
}
