import type { Context } from "../../context.js";
import { UsageError } from "../../errors/cli-error.js";
import { checkRegularFile, readBoundedRegularFile, UnsafeFileError } from "../../fs/safe-file.js";
import { isLoopbackHost } from "../../loopback/host.js";
import type { ClientKey } from "../../jwt/client-key.js";
import { chooseSigningAlg } from "../../oauth/client-assertion.js";
import { AUTH_METHODS, type AuthMethod, chooseAuthMethod, TLS_AUTH_METHODS } from "../../oauth/client-auth.js";
import { discoverWithSource, type Discovered, type ServerMetadata } from "../../oauth/discovery.js";
import { type BodyFormat, TOKEN_REQUEST_PARAMETERS, tokenRequestHeaders } from "../../oauth/token-request.js";
import { OUTPUT_MODES, type OutputMode } from "../../output/format.js";
import type { DpopKey, PrivateJwk } from "../../oauth/dpop.js";
import { type ClientCertificate, loadClientCertificate, loadPrivateKey } from "./client-keys.js";
import { resolveDpop } from "./dpop.js";
import { envValue } from "./env.js";
import { suggestScheme } from "./url-scheme.js";
import type { OptionsOf } from "./flag-table.js";
import type { TOKEN_COMMAND_FLAGS } from "./flags.js";
import { resourceParams } from "./resource.js";
import { reservedHeaderError, reservedParameterError, withFlagNames } from "./parameter-flags.js";
import type { Session, SessionOptions } from "./session.js";

/**
 * The resolvers every token-endpoint command shares: its shared flags (flags.ts) turned into
 * checked settings — transport, output mode, endpoints (by discovery if need be) and client.
 */
export type CommonOptions = OptionsOf<typeof TOKEN_COMMAND_FLAGS>;

/** Far above any real bundle (the whole Mozilla store is ~220 KiB): /dev/zero or a log file is refused, not read. */
const MAX_CA_FILE_BYTES = 8 * 1024 * 1024;
/** A client secret, or a private-key JWT assertion, fits many times over. */
const MAX_SECRET_FILE_BYTES = 64 * 1024;

/** `--flag: "PATH" is a FIFO (named pipe), not a regular file`, or `--flag: cannot read "PATH" (EACCES)`. */
function fileFlagError(flag: string, path: string, error: unknown): UsageError {
  if (error instanceof UnsafeFileError && error.problem !== "missing" && error.problem !== "unreadable") return new UsageError(`${flag}: "${path}" ${error.message}`);
  return new UsageError(`${flag}: cannot read "${path}" (${(error as NodeJS.ErrnoException).code ?? "error"})`);
}

const MAX_TIMEOUT_S = 86_400;

export function sessionOptions(opts: CommonOptions): SessionOptions {
  const timeout = opts.timeout === undefined ? 30 : Number(opts.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError(`--timeout: "${opts.timeout}" is not a positive number of seconds`);
  // Node's timers overflow past 2^31-1 ms (about 24.8 days): a day is more than any request needs.
  if (timeout > MAX_TIMEOUT_S) throw new UsageError(`--timeout: "${opts.timeout}" is too large (at most ${MAX_TIMEOUT_S} seconds, one day)`);
  if (opts.caFile !== undefined) {
    try {
      checkRegularFile(opts.caFile, MAX_CA_FILE_BYTES);
    } catch (error) {
      throw fileFlagError("--ca-file", opts.caFile, error);
    }
  }
  return { verbose: !!opts.verbose, showSecrets: !!opts.showSecrets, timeoutMs: Math.round(timeout * 1000), caFile: opts.caFile };
}

export function resolveOutputMode(opts: CommonOptions, ctx: Context): OutputMode {
  if (opts.json) {
    if (opts.output !== undefined && opts.output !== "json") throw new UsageError(`--json conflicts with --output ${opts.output}`);
    return "json";
  }
  if (opts.output === undefined) return ctx.stdout.isTTY ? "pretty" : "json";
  if (!(OUTPUT_MODES as readonly string[]).includes(opts.output)) {
    throw new UsageError(`--output: "${opts.output}" is not one of ${OUTPUT_MODES.join(", ")}`);
  }
  return opts.output as OutputMode;
}

/**
 * `name=value` pairs (--param). A name the request sets itself is refused before anything is
 * sent: by default the token request's; authorize passes the authorization request's.
 */
export function parseParams(list: readonly string[] | undefined, reserved: readonly string[] = TOKEN_REQUEST_PARAMETERS, flag = "--param"): [string, string][] {
  return (list ?? []).map((item) => {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new UsageError(`${flag}: "${item}" is not name=value`);
    const name = item.slice(0, eq);
    if (reserved.includes(name)) throw reservedParameterError(name, flag);
    return [name, item.slice(eq + 1)];
  });
}

/** The token request's extra parameters: --param, then one `resource` per --resource (RFC 8707 §2). */
export function requestParams(opts: Pick<CommonOptions, "param" | "resource">): [string, string][] {
  return [...parseParams(opts.param), ...resourceParams(opts.resource)];
}

/**
 * `Name: value` pairs (--header). The body's own headers are refused here; Authorization, which
 * depends on the auth method, when the client is resolved (see checkTokenHeaders).
 */
export function parseHeaders(list: readonly string[] | undefined): [string, string][] {
  const headers = (list ?? []).map((item): [string, string] => {
    const colon = item.indexOf(":");
    const name = colon > 0 ? item.slice(0, colon).trim() : "";
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new UsageError(`--header: "${item}" is not "Name: value"`);
    return [name, item.slice(colon + 1).trim()];
  });
  checkTokenHeaders(headers, "none");
  return headers;
}

/** Refuses an extra header the token request sets itself with this auth method (tokenRequestHeaders). */
export function checkTokenHeaders(headers: readonly (readonly [string, string])[], authMethod: AuthMethod): void {
  const reserved = tokenRequestHeaders(authMethod).map((name) => name.toLowerCase());
  const clash = headers.find(([name]) => reserved.includes(name.toLowerCase()));
  if (clash) throw reservedHeaderError(clash[0]);
}

export interface Endpoints {
  readonly tokenEndpoint: string;
  readonly authorizationEndpoint?: string;
  readonly issuer?: string;
  readonly metadata?: ServerMetadata;
  /** The metadata came from an OpenID Provider Configuration document (see isOpenIdProvider). */
  readonly openIdConfiguration?: boolean;
}

function checkUrl(flag: string, value: string): string {
  checkScheme(flag, value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag}: "${value}" is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new UsageError(`${flag}: "${value}" must be an http(s) URL`);
  return value;
}

/** A URL typed without http:// or https:// is a usage error that says which one it most likely needs. */
export function checkScheme(flag: string, value: string): void {
  const suggested = suggestScheme(value);
  if (suggested) throw new UsageError(`${flag}: "${value}" has no scheme (http:// or https://)`, { hint: `did you mean ${flag} ${suggested}?` });
}

/** Warns about plain http to anything but loopback (RFC 9700 §2.6). */
function warnPlainHttp(session: Session, value: string): void {
  const url = new URL(value);
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    session.warn(`${value} is plain http: codes, secrets and tokens cross the network unencrypted (RFC 9700 §2.6)`);
  }
}

/** --token-endpoint wins; else discovery from --issuer (one of them is a required flag, checked before). */
export async function resolveEndpoints(
  session: Session,
  opts: CommonOptions & { authorizationEndpoint?: string },
  need: { authorization?: boolean } = {},
): Promise<Endpoints> {
  let discovered: Discovered | undefined;
  const missing = opts.tokenEndpoint === undefined || (need.authorization && opts.authorizationEndpoint === undefined);
  if (opts.issuer !== undefined) checkScheme("--issuer", opts.issuer);
  if (opts.issuer !== undefined && missing) {
    const issuer = opts.issuer;
    discovered = await withFlagNames(() => discoverWithSource(issuer, (url) => session.get(url), { note: (m) => session.note(m) }));
  }
  const metadata = discovered?.metadata;
  const tokenEndpoint = opts.tokenEndpoint ?? metadata?.token_endpoint;
  // Neither flag given is the required-flag check's to report (required.ts), before anything is resolved.
  if (tokenEndpoint === undefined && metadata === undefined) throw new Error("resolveEndpoints: neither --token-endpoint nor --issuer");
  if (tokenEndpoint === undefined) throw new UsageError(`the metadata of ${opts.issuer} has no token_endpoint; give --token-endpoint`);
  checkUrl("--token-endpoint", tokenEndpoint);
  warnPlainHttp(session, tokenEndpoint);
  const authorizationEndpoint = opts.authorizationEndpoint ?? metadata?.authorization_endpoint;
  if (authorizationEndpoint !== undefined) checkUrl("--authorization-endpoint", authorizationEndpoint);
  if (authorizationEndpoint !== undefined && need.authorization) warnPlainHttp(session, authorizationEndpoint);
  return { tokenEndpoint, authorizationEndpoint, issuer: metadata?.issuer ?? opts.issuer, metadata, openIdConfiguration: discovered?.openIdConfiguration };
}

/** Where and as whom a token request goes, with the extra parameters and headers asked for. */
export interface TokenTarget {
  readonly endpoints: Endpoints;
  readonly client: ClientConfig;
  readonly params: [string, string][];
  readonly headers: [string, string][];
}

/** Everything a token-endpoint command resolves before it can send: flags checked first, then discovery. */
export async function resolveTokenTarget(
  session: Session,
  opts: CommonOptions & { authorizationEndpoint?: string },
  need: { authorization?: boolean } = {},
): Promise<TokenTarget> {
  const params = requestParams(opts);
  const headers = parseHeaders(opts.header);
  const found = await resolveEndpoints(session, opts, need);
  const client = await resolveClient(session, opts, found.metadata);
  return { endpoints: withMtlsAlias(session, opts, found, client), client, params, headers };
}

/** The endpoints a client with a certificate sends to: the server's mTLS alias, unless --token-endpoint was given. */
export function withMtlsAlias(session: Session, opts: CommonOptions, endpoints: Endpoints, client: ClientConfig): Endpoints {
  return client.certificate && opts.tokenEndpoint === undefined ? mtlsEndpoints(session, endpoints) : endpoints;
}

/**
 * With a client certificate, the server may want the token request at another address, one that
 * asks for certificates (RFC 8705 §5, mtls_endpoint_aliases).
 * @see https://www.rfc-editor.org/rfc/rfc8705#section-5
 */
function mtlsEndpoints(session: Session, endpoints: Endpoints): Endpoints {
  const aliases = endpoints.metadata?.mtls_endpoint_aliases as Record<string, unknown> | undefined;
  const alias = aliases?.token_endpoint;
  if (typeof alias !== "string" || alias === endpoints.tokenEndpoint) return endpoints;
  checkUrl("mtls_endpoint_aliases.token_endpoint", alias);
  session.note(`token requests go to ${alias}, the server's mutual-TLS alias of its token endpoint (mtls_endpoint_aliases)`);
  return { ...endpoints, tokenEndpoint: alias };
}

export interface ClientConfig {
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly authMethod: AuthMethod;
  readonly bodyFormat: BodyFormat;
  /** Where the secret came from, for diagnosis ("file", "env", "stdin", "argument"). */
  readonly secretSource?: string;
  /** The secret has leading/trailing whitespace or an inner newline (a classic from files and env vars). */
  readonly secretHasWhitespace?: boolean;
  /** With --dpop (or a store that keeps one): the key every token request proves possession of (RFC 9449). */
  readonly dpop?: DpopKey;
  /** client_secret_jwt and private_key_jwt: how to sign the assertion. */
  readonly assertion?: AssertionSettings;
  /** tls_client_auth and self_signed_tls_client_auth: the certificate offered in the handshake. */
  readonly certificate?: ClientCertificate;
}

export interface AssertionSettings {
  /** private_key_jwt's key; client_secret_jwt signs with the secret. */
  readonly key?: ClientKey;
  readonly alg: string;
  readonly kid?: string;
  /** "token-endpoint", "issuer", or a literal audience. */
  readonly audience: string;
}

const HMAC_ALGS = ["HS256", "HS384", "HS512"];

async function readSecret(session: Session, opts: CommonOptions): Promise<{ value?: string; source?: string }> {
  const env = session.ctx.env;
  const given = [opts.clientSecretFile !== undefined && "--client-secret-file", opts.clientSecret !== undefined && "--client-secret"].filter(Boolean);
  if (given.length > 1) throw new UsageError("give the client secret once: --client-secret-file or --client-secret, not both");
  if (opts.clientSecretFile !== undefined) {
    if (opts.clientSecretFile === "-") return { value: await session.readStdin("--client-secret-file", { secret: true }), source: "stdin" };
    let text: string;
    try {
      text = readBoundedRegularFile(opts.clientSecretFile, MAX_SECRET_FILE_BYTES, { followSymlinks: true }).text;
    } catch (error) {
      throw fileFlagError("--client-secret-file", opts.clientSecretFile, error);
    }
    const value = text.replace(/\r?\n$/, "");
    if (value === "") throw new UsageError(`--client-secret-file: "${opts.clientSecretFile}" is empty`);
    return { value, source: "file" };
  }
  if (opts.clientSecret === "-") return { value: await session.readStdin("--client-secret", { secret: true }), source: "stdin" };
  // A literal value is warned about with every other secret flag, once (flag-table.ts).
  if (opts.clientSecret !== undefined) return { value: opts.clientSecret, source: "argument" };
  const fromEnv = envValue(env, "OAUTH_CLIENT_SECRET");
  if (fromEnv !== undefined) return { value: fromEnv, source: "env" };
  return {};
}

/** `storedDpop`: the DPoP key a token store keeps with tokens bound to it (refresh --store). */
export async function resolveClient(session: Session, opts: CommonOptions, metadata?: ServerMetadata, storedDpop?: PrivateJwk): Promise<ClientConfig> {
  const clientId = opts.clientId ?? envValue(session.ctx.env, "OAUTH_CLIENT_ID");
  const secret = await readSecret(session, opts);
  session.addSecret(secret.value);
  const secretHasWhitespace = secret.value !== undefined && (secret.value !== secret.value.trim() || /[\r\n]/.test(secret.value));
  if (secretHasWhitespace) session.warn(`the client secret (from ${secret.source}) has surrounding whitespace or a line break; it is sent as is`);

  if (opts.authMethod !== undefined && !(AUTH_METHODS as readonly string[]).includes(opts.authMethod)) {
    throw new UsageError(`--auth-method: "${opts.authMethod}" is not one of ${AUTH_METHODS.join(", ")}`);
  }
  const privateKey = opts.privateKey === undefined ? undefined : await loadPrivateKey(session, opts.privateKey);
  const certificate = await loadClientCertificate(session, opts.cert, opts.key);
  const credentials = { secret: secret.value !== undefined, privateKey: privateKey !== undefined, certificate: certificate !== undefined };
  const authMethod = (opts.authMethod as AuthMethod | undefined) ?? chooseAuthMethod(credentials, metadata?.token_endpoint_auth_methods_supported);
  if (authMethod === "private_key_jwt" && privateKey === undefined) throw new UsageError("--auth-method private_key_jwt needs --private-key FILE (PEM or JWK)");
  if (TLS_AUTH_METHODS.includes(authMethod) && certificate === undefined) throw new UsageError(`--auth-method ${authMethod} needs --cert FILE and --key FILE (PEM)`);
  if (privateKey !== undefined && authMethod !== "private_key_jwt") session.note(`--private-key is not used: the client authenticates with ${authMethod}`);
  if (certificate !== undefined) session.useClientCertificate(certificate);
  const assertion = assertionSettings(session, opts, authMethod, privateKey, metadata);
  if (authMethod === "private_key_jwt" || TLS_AUTH_METHODS.includes(authMethod)) {
    if (clientId === undefined) throw new UsageError(`--auth-method ${authMethod} needs --client-id ID (or OAUTH_CLIENT_ID)`);
    if (secret.value !== undefined && opts.authMethod !== undefined) session.note(`--auth-method ${authMethod}: the client secret is not sent`);
  } else if (authMethod !== "none" && secret.value === undefined) {
    throw new UsageError(`--auth-method ${authMethod} needs a client secret: set OAUTH_CLIENT_SECRET, or give --client-secret-file PATH or --client-secret -`);
  }
  // Not a plain required flag: only a client that sends a secret must name itself.
  if (clientId === undefined && authMethod !== "none") throw new UsageError(`--auth-method ${authMethod} sends a client secret, which needs --client-id ID (or OAUTH_CLIENT_ID)`);
  if (authMethod === "none" && secret.value !== undefined && opts.authMethod === "none") {
    session.note("--auth-method none: the client secret is not sent");
  }
  checkTokenHeaders(parseHeaders(opts.header), authMethod);
  const bodyFormat = opts.bodyFormat ?? "form";
  if (bodyFormat !== "form" && bodyFormat !== "json") throw new UsageError(`--body-format: "${bodyFormat}" is not one of form, json`);
  const dpop = await resolveDpop(session, opts, storedDpop);
  const algs = metadata?.dpop_signing_alg_values_supported;
  if (dpop && Array.isArray(algs) && !algs.includes(dpop.alg)) {
    session.warn(`the server lists dpop_signing_alg_values_supported: ${algs.join(", ")}; it may refuse ${dpop.alg} proofs (--dpop-alg)`);
  }
  return { clientId, clientSecret: secret.value, authMethod, bodyFormat, secretSource: secret.source, secretHasWhitespace, assertion, certificate, ...(dpop ? { dpop } : {}) };
}

/**
 * The assertion's algorithm, kid and audience; undefined for a method that sends none. A choice the
 * server's metadata rules out is warned about, not refused: metadata may be incomplete.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2 (token_endpoint_auth_signing_alg_values_supported)
 */
function assertionSettings(session: Session, opts: CommonOptions, authMethod: AuthMethod, key: ClientKey | undefined, metadata?: ServerMetadata): AssertionSettings | undefined {
  const audience = opts.assertionAudience ?? "token-endpoint";
  if (audience !== "token-endpoint" && audience !== "issuer") checkUrl("--assertion-audience", audience);
  if (authMethod !== "private_key_jwt" && authMethod !== "client_secret_jwt") {
    const unused = [opts.keyId !== undefined && "--key-id", opts.signingAlg !== undefined && "--signing-alg", opts.assertionAudience !== undefined && "--assertion-audience"].filter(Boolean);
    if (unused.length > 0) session.note(`${unused.join(", ")}: not used, since ${authMethod} sends no assertion`);
    return undefined;
  }
  const supported = metadata?.token_endpoint_auth_signing_alg_values_supported as readonly string[] | undefined;
  let alg: string;
  if (authMethod === "client_secret_jwt") {
    alg = opts.signingAlg ?? HMAC_ALGS.find((a) => supported?.includes(a)) ?? "HS256";
    if (!HMAC_ALGS.includes(alg)) throw new UsageError(`--signing-alg: client_secret_jwt signs with the secret, so ${HMAC_ALGS.join(", ")}, not "${alg}"`);
  } else {
    const clientKey = key as ClientKey;
    alg = chooseSigningAlg(clientKey, opts.signingAlg, supported);
    if (!clientKey.algorithms.includes(alg)) throw new UsageError(`--signing-alg: a ${clientKey.type} key cannot sign ${alg}; it can sign ${clientKey.algorithms.join(", ")}`);
  }
  if (supported !== undefined && !supported.includes(alg)) {
    session.warn(`the server lists token_endpoint_auth_signing_alg_values_supported ${supported.join(", ")}, which does not include ${alg}`);
  }
  return { key, alg, kid: opts.keyId ?? key?.kid, audience };
}
