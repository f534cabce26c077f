import { dirname } from "node:path";
import { UsageError } from "../errors/cli-error.js";
import { ensurePrivateDir, readBoundedRegularFile, UnsafeFileError, writeFileAtomically } from "../fs/safe-file.js";
import type { TokenResult } from "../oauth/token-response.js";

export const STORE_VERSION = 1;

/** A store holds a few tokens (JWTs of a few KiB at most); anything this big is not one. */
export const MAX_STORE_BYTES = 1024 * 1024;

/**
 * The token store file. Never the client secret: it is the one credential a leaked store must not
 * hand over along with the tokens.
 */
export interface StoredTokenSet {
  readonly version: typeof STORE_VERSION;
  readonly access_token: string;
  readonly token_type: string;
  /** ISO 8601; absent when the server gave no expires_in (then the token is never taken as fresh). */
  readonly expires_at?: string;
  readonly refresh_token?: string;
  readonly scope?: string;
  readonly id_token?: string;
  readonly token_endpoint: string;
  readonly issuer?: string;
  readonly client_id?: string;
  readonly auth_method?: string;
  /**
   * The private DPoP key the tokens are bound to (RFC 9449), so a refresh can prove possession of
   * it; absent for bearer tokens and in stores written before DPoP (they stay readable).
   */
  readonly dpop_jwk?: Readonly<Record<string, string>>;
  readonly saved_at: string;
  /**
   * ISO 8601: when `oauth-cli revoke --store` revoked these tokens at the server (RFC 7009). Set,
   * the stored tokens are dead: never served from the cache nor sent to the token endpoint.
   * Absent in stores written before it existed, which stay readable.
   */
  readonly revoked_at?: string;
}

/** Where the tokens came from, stored beside them so `refresh --store` needs no other flags. */
export interface StoreMeta {
  readonly tokenEndpoint: string;
  readonly issuer?: string;
  readonly clientId?: string;
  readonly authMethod?: string;
  readonly dpopJwk?: Readonly<Record<string, string>>;
}

export interface LoadedStore {
  readonly tokens: StoredTokenSet;
  /** Permission bits, e.g. 0o644. */
  readonly mode: number;
}

const OPTIONAL_STRINGS = ["expires_at", "refresh_token", "scope", "id_token", "issuer", "client_id", "auth_method", "saved_at", "revoked_at"] as const;

function corrupt(path: string, what: string): UsageError {
  return new UsageError(`the token store ${path} is unusable: ${what}`, {
    hint: `It was left untouched. Restore ${path}.bak if it exists, or move ${path} away and fill a new store with authorize, exchange or refresh --refresh-token - --store ${path}.`,
  });
}

/** Validates the file's JSON in a fixed order (object → version → each field's type), naming the file and field. */
export function parseStore(text: string, path: string): StoredTokenSet {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw corrupt(path, text.trim() === "" ? "the file is empty" : "it is not valid JSON (truncated or edited?)");
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw corrupt(path, "it is not a JSON object");
  const record = data as Record<string, unknown>;
  if (record.version !== STORE_VERSION) {
    throw corrupt(path, `"version" is ${JSON.stringify(record.version)}, this oauth-cli reads version ${STORE_VERSION}`);
  }
  for (const name of ["access_token", "token_type", "token_endpoint"]) {
    if (typeof record[name] !== "string" || record[name] === "") throw corrupt(path, `"${name}" is missing or not a string`);
  }
  for (const name of OPTIONAL_STRINGS) {
    if (record[name] !== undefined && typeof record[name] !== "string") throw corrupt(path, `"${name}" is not a string`);
  }
  if (record.dpop_jwk !== undefined) {
    const jwk = record.dpop_jwk as Record<string, unknown> | null;
    if (typeof jwk !== "object" || jwk === null || Array.isArray(jwk) || typeof jwk.kty !== "string" || Object.values(jwk).some((v) => typeof v !== "string")) {
      throw corrupt(path, `"dpop_jwk" is not a JWK object`);
    }
  }
  if (typeof record.expires_at === "string" && Number.isNaN(Date.parse(record.expires_at))) throw corrupt(path, `"expires_at" is not a date`);
  if (typeof record.revoked_at === "string" && Number.isNaN(Date.parse(record.revoked_at))) throw corrupt(path, `"revoked_at" is not a date`);
  return record as unknown as StoredTokenSet;
}

/**
 * The store, or undefined when there is none yet. Refused (exit 2), never followed or trusted: a
 * symlink, anything but a regular file, a file over {@link MAX_STORE_BYTES}, and a file another
 * user owns or can write. Such a store could carry a planted token endpoint (where the client
 * secret would go) and planted tokens (printed as the user's own).
 */
export function readStore(path: string): LoadedStore | undefined {
  let file;
  try {
    file = readBoundedRegularFile(path, MAX_STORE_BYTES, { requireOwner: true });
  } catch (error) {
    if (error instanceof UnsafeFileError && error.problem === "missing") return undefined;
    throw refusedFile("the token store", path, error);
  }
  return { tokens: parseStore(file.text, path), mode: file.stat.mode & 0o777 };
}

/** A usage error (exit 2) naming a file we refused and what to do about it. */
function refusedFile(what: string, path: string, error: unknown): UsageError {
  if (!(error instanceof UnsafeFileError)) return new UsageError(`cannot read ${what} ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  const hint =
    error.problem === "foreign-owner"
      ? `oauth-cli only uses files you own: another user may have planted it. Keep stores in a folder only you can write (e.g. under ~/.local/state).`
      : error.problem === "loose-mode"
        ? `Others could have changed it. If its content is yours, run: chmod 600 ${path}`
        : undefined;
  return new UsageError(`${what} ${path} ${error.message}`, hint === undefined ? undefined : { hint });
}

/** Warns when others can read the store (gsutil #994, azure-powershell #9649). */
export function describeLoosePermissions(path: string, mode: number): string | undefined {
  if ((mode & 0o077) === 0 || process.platform === "win32") return undefined;
  return `the token store ${path} is readable by others (mode ${mode.toString(8).padStart(4, "0")}): run chmod 600 ${path}`;
}

/**
 * Writes the store atomically, 0600, in a folder created 0700; the copy it replaces stays at
 * `<path>.bak` when it can (a foreign file there is reported in `backupSkipped`, not tripped over).
 * With `exclusive`, an existing file is never replaced (EEXIST). Called straight after the token
 * response is parsed, before any output.
 */
export function writeStore(path: string, tokens: StoredTokenSet, options: { replacing: boolean; exclusive?: boolean }): { createdDir: boolean; backupSkipped?: string } {
  try {
    const createdDir = ensurePrivateDir(dirname(path));
    const written = writeFileAtomically(path, `${JSON.stringify(tokens, null, 2)}\n`, {
      ...(options.replacing ? { backup: `${path}.bak` } : {}),
      exclusive: options.exclusive,
    });
    return { createdDir, ...written };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (options.exclusive && code === "EEXIST") throw error;
    throw new UsageError(`cannot write the token store ${path} (${code ?? String(error)})`);
  }
}

/**
 * The set to store after a token response. Fields the server left out keep their old values:
 * a refresh response without refresh_token means the old one stays valid (RFC 6749 §6).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export function buildStoredSet(tokens: TokenResult, meta: StoreMeta, now: number, previous?: StoredTokenSet): StoredTokenSet {
  // Revoked tokens are carried over to nothing: a refresh token the server has dropped stays dropped.
  const sameGrant = previous !== undefined && previous.client_id === meta.clientId && previous.revoked_at === undefined;
  const set: StoredTokenSet = {
    version: STORE_VERSION,
    access_token: tokens.access_token,
    token_type: tokens.token_type,
    expires_at: tokens.expires_at,
    refresh_token: tokens.refresh_token ?? (sameGrant ? previous.refresh_token : undefined),
    scope: tokens.scope ?? (sameGrant ? previous.scope : undefined),
    id_token: tokens.id_token ?? (sameGrant ? previous.id_token : undefined),
    token_endpoint: meta.tokenEndpoint,
    issuer: meta.issuer,
    client_id: meta.clientId,
    auth_method: meta.authMethod,
    dpop_jwk: meta.dpopJwk,
    saved_at: new Date(now).toISOString(),
  };
  // JSON.stringify drops undefined fields; keep the object itself free of them too.
  return Object.fromEntries(Object.entries(set).filter(([, v]) => v !== undefined)) as unknown as StoredTokenSet;
}

/** True when the stored access token stays valid for at least `minTtlMs` from now. */
export function isFreshFor(tokens: StoredTokenSet, now: number, minTtlMs: number): boolean {
  if (tokens.expires_at === undefined || tokens.revoked_at !== undefined) return false;
  return Date.parse(tokens.expires_at) - now >= minTtlMs;
}

/** The same set, marked revoked at `now` (the file is written by the caller, under the store's lock). */
export function markedRevoked(tokens: StoredTokenSet, now: number): StoredTokenSet {
  return { ...tokens, revoked_at: new Date(now).toISOString() };
}

/** The stored set as a token response, for the usual output formats. */
export function toTokenResult(tokens: StoredTokenSet, now: number): TokenResult {
  const expiresIn = tokens.expires_at === undefined ? undefined : Math.max(0, Math.floor((Date.parse(tokens.expires_at) - now) / 1000));
  return {
    access_token: tokens.access_token,
    token_type: tokens.token_type,
    expires_in: expiresIn,
    expires_at: tokens.expires_at,
    refresh_token: tokens.refresh_token,
    scope: tokens.scope,
    id_token: tokens.id_token,
  };
}
