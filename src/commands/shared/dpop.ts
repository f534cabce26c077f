import { createPrivateKey } from "node:crypto";
import { UsageError } from "../../errors/cli-error.js";
import { createExclusive, readBoundedRegularFile, UnsafeFileError } from "../../fs/safe-file.js";
import type { HttpExchange, HttpRequest } from "../../http/types.js";
import { DPOP_ALGS, type DpopAlg, DpopKey, type ProofInput, type PrivateJwk } from "../../oauth/dpop.js";
import { expandPath } from "./paths.js";
import { reservedHeaderError } from "./parameter-flags.js";
import type { Session } from "./session.js";

export interface DpopFlags {
  readonly dpop?: boolean;
  readonly dpopKey?: string;
  readonly dpopAlg?: string;
}

/** A JWK or a PEM key file is small; anything bigger is not one. */
const MAX_KEY_FILE_BYTES = 64 * 1024;

/** A private JWK from a key file's text: JSON as it is, PEM through node's key parser (no crypto by hand). */
function jwkOfText(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) return JSON.parse(trimmed);
  return createPrivateKey(trimmed).export({ format: "jwk" });
}

function readKeyFile(path: string): DpopKey | undefined {
  let text: string;
  try {
    text = readBoundedRegularFile(path, MAX_KEY_FILE_BYTES, { followSymlinks: true }).text;
  } catch (error) {
    if (error instanceof UnsafeFileError && error.problem === "missing") return undefined;
    throw new UsageError(`--dpop-key: "${path}" ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return DpopKey.fromJwk(jwkOfText(text));
  } catch (error) {
    throw new UsageError(`--dpop-key: "${path}" is not a usable private key: ${(error as Error).message}`, {
      hint: "Give a private JWK (JSON with \"d\") or a PEM private key (EC P-256, RSA or Ed25519), or a path that does not exist yet to create one.",
    });
  }
}

/** An existing key for a token already bound to it (request, userinfo): a new one would be refused. */
export function loadDpopKey(session: Session, given: string): DpopKey {
  const path = expandPath(session.ctx, given);
  const key = readKeyFile(path);
  if (key === undefined) throw new UsageError(`--dpop-key: "${path}" does not exist`, { hint: "Give the key the access token is bound to: the one the token request proved (--dpop-key of that run)." });
  return key;
}

/**
 * The run's DPoP key: --dpop-key (created when missing), else the key a store keeps with its
 * tokens (they are bound to it: a new key would be refused), else a new one with --dpop.
 */
export async function resolveDpop(session: Session, opts: DpopFlags, stored?: PrivateJwk): Promise<DpopKey | undefined> {
  if (!opts.dpop && opts.dpopKey === undefined && stored === undefined) {
    if (opts.dpopAlg !== undefined) throw new UsageError("--dpop-alg only works with --dpop");
    return undefined;
  }
  if (opts.dpopAlg !== undefined && !(DPOP_ALGS as readonly string[]).includes(opts.dpopAlg)) {
    throw new UsageError(`--dpop-alg: "${opts.dpopAlg}" is not one of ${DPOP_ALGS.join(", ")}`);
  }
  const alg = (opts.dpopAlg as DpopAlg | undefined) ?? "ES256";
  if (opts.dpopKey !== undefined) {
    const path = expandPath(session.ctx, opts.dpopKey);
    const existing = readKeyFile(path);
    // Tokens in a store are bound to the key kept with them: another key's proofs will be refused.
    if (existing && stored !== undefined && stored.d !== existing.privateJwk.d) {
      session.warn(`--dpop-key ${opts.dpopKey} is not the key the stored tokens are bound to; the server will refuse its proofs for them`);
    }
    if (existing) return existing;
    const key = await DpopKey.generate(alg);
    try {
      createExclusive(path, `${JSON.stringify(key.privateJwk, null, 2)}\n`, 0o600);
    } catch (error) {
      throw new UsageError(`--dpop-key: cannot create "${path}" (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    session.note(`created the DPoP key ${path} (${alg}, mode 0600)`);
    return key;
  }
  if (stored !== undefined) {
    try {
      return DpopKey.fromJwk(stored);
    } catch (error) {
      throw new UsageError(`the DPoP key kept in the token store is unusable: ${(error as Error).message}`);
    }
  }
  return DpopKey.generate(alg);
}

/**
 * The Authorization header of a DPoP-bound access token: its own scheme, not Bearer.
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.1
 */
export function dpopAuthorization(accessToken: string): string {
  return `DPoP ${accessToken}`;
}

/** The proof is made per request: a DPoP header of the user's (--header) would contradict it. */
export function refuseDpopHeader(names: Iterable<string>): void {
  for (const name of names) if (name.toLowerCase() === "dpop") throw reservedHeaderError(name);
}

/** A resource server's refusal asking for a nonce: a DPoP challenge with use_dpop_nonce and a DPoP-Nonce header (RFC 9449 §9). */
export function challengeAsksForNonce(headers: Readonly<Record<string, string>>): boolean {
  return !!headers["dpop-nonce"] && /error="use_dpop_nonce"/.test(headers["www-authenticate"] ?? "");
}

/** A proof for one request: what the `request` command calls with the access token (`ath`). */
export function dpopProof(key: DpopKey, input: ProofInput): Promise<string> {
  return key.proof(input);
}

/** An answer asking for a nonce: `use_dpop_nonce` in a JSON body (AS, 400) or a DPoP challenge (RS, 401). */
export function asksForNonce(exchange: HttpExchange): boolean {
  const response = exchange.response;
  if (!response || !response.headers["dpop-nonce"]) return false;
  if (challengeAsksForNonce(response.headers)) return true;
  try {
    return (JSON.parse(response.body) as { error?: unknown }).error === "use_dpop_nonce";
  } catch {
    return false;
  }
}

/**
 * Sends a request with a DPoP header; a server asking for a nonce gets one retry with it, and the
 * nonce is kept for the next requests to that server.
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-8 (authorization server)
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-9 (resource server)
 */
export async function sendWithDpop(
  session: Session,
  key: DpopKey,
  // A function when each send must be built afresh (a client assertion's jti is good once).
  given: HttpRequest | (() => Promise<HttpRequest>),
  accessToken?: string,
): Promise<{ exchange: HttpExchange; earlier: HttpExchange[] }> {
  const withProof = async (): Promise<HttpRequest> => {
    const request = typeof given === "function" ? await given() : given;
    return {
      ...request,
      headers: { ...request.headers, DPoP: await key.proof({ htm: request.method, htu: request.url, accessToken }, session.ctx.now()) },
    };
  };
  const firstRequest = await withProof();
  const first = await session.send(firstRequest);
  key.rememberNonce(firstRequest.url, first.response);
  if (!asksForNonce(first)) return { exchange: first, earlier: [] };
  const secondRequest = await withProof();
  const second = await session.send(secondRequest);
  key.rememberNonce(secondRequest.url, second.response);
  return { exchange: second, earlier: [first] };
}
