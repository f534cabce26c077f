import { UsageError } from "../../errors/cli-error.js";
import { formatJson } from "../../output/format.js";
import { obtainStoredTokens } from "../refresh/with-store.js";
import type { RefreshOptions } from "../refresh/flags.js";
import { TokensNotSavedError } from "./save-tokens.js";
import type { Session } from "./session.js";
import { readStoreFor, resolveStoreSettings } from "./store.js";
import { CACHE_FLAGS, CLIENT_FLAGS, STORE_FLAGS } from "./flags.js";
import type { FlagTable, OptionsOf } from "./flag-table.js";
import { readTokenFlag } from "./server-endpoint.js";
import { DpopKey } from "../../oauth/dpop.js";
import { loadDpopKey } from "./dpop.js";

/** The flags a command that uses a stored access token shares with refresh --store. */
export type StoredAccessOptions = Pick<
  RefreshOptions,
  "issuer" | "clientId" | "clientSecret" | "clientSecretFile" | "authMethod" | "bodyFormat" | "store" | "lockTimeout" | "minTtl" | "force"
>;

/**
 * The access token of a store, refreshed first when it has less than --min-ttl left, by the very
 * path `refresh --store` takes (lock, re-read, rotation saved before anything else). New tokens
 * that could not be saved anywhere are printed whole and the run stops (exit 5) before the token
 * is used: the rotated refresh token may be their only copy.
 */
export async function accessTokenFromStore(session: Session, opts: StoredAccessOptions): Promise<string> {
  const settings = resolveStoreSettings(opts, session.ctx)!;
  if (readStoreFor(session, settings.path) === undefined) {
    throw new UsageError(`the token store ${settings.path} does not exist`, { hint: "Fill it with authorize --store, exchange --store or refresh --refresh-token - --store." });
  }
  const refreshOptions: RefreshOptions = { ...opts, tokenEndpoint: undefined, header: undefined, param: undefined, scope: undefined, refreshToken: undefined };
  const got = await obtainStoredTokens(session, refreshOptions, settings);
  if (got.kind === "sent") {
    session.note(`the stored access token had less than ${settings.minTtlMs / 1000} s left: refreshed it first${got.rotated ? " (the server rotated the refresh token)" : ""}`);
    const { saved } = got;
    if (saved?.kind === "rescued") session.warn(`could not save the new tokens to ${saved.path} (${saved.reason}); they are in ${saved.rescue} (mode 0600): carry on with refresh --store ${saved.rescue}`);
    if (saved?.kind === "unsaved") {
      session.ctx.stdout.write(formatJson(got.tokens));
      throw new TokensNotSavedError(saved);
    }
  }
  return got.tokens.access_token;
}

/** The access token: given, or from a store (refreshed first when near expiry, as refresh --store does). */
export const ACCESS_TOKEN_FLAGS = {
  accessToken: { value: "<token>", secret: { env: "OAUTH_ACCESS_TOKEN" }, description: "the access token (env OAUTH_ACCESS_TOKEN; - for standard input)" },
  store: { value: "<path>", description: "use the access token of this token store, refreshed first when it has less than --min-ttl left (the rotation is saved)" },
  lockTimeout: STORE_FLAGS.lockTimeout,
  minTtl: CACHE_FLAGS.minTtl,
  force: { description: "with --store: refresh the access token first even if it is still valid" },
  dpopKey: { value: "<path>", description: "the DPoP key (private JWK or PEM) the access token is bound to: sent as Authorization: DPoP with a proof (RFC 9449 §7); with --store, the key kept in the store is used without it" },
  // Only a refresh of the store needs these: the store names the client, never its secret.
  ...CLIENT_FLAGS,
} as const satisfies FlagTable;

export type AccessTokenOptions = OptionsOf<typeof ACCESS_TOKEN_FLAGS> & { issuer?: string };

/** The access token and, for a DPoP-bound one, the key each request proves possession of. */
export interface Access {
  readonly token: string;
  readonly dpop?: DpopKey;
}

/**
 * The access token (as accessTokenOf) with its DPoP key: --dpop-key, else the key a store keeps
 * beside a token it saved as token_type DPoP. Without a key the token goes as a bearer token.
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.1
 */
export async function accessOf(session: Session, opts: AccessTokenOptions): Promise<Access> {
  // Read first: a refresh of the store must not create a missing --dpop-key file as a new key.
  const given = opts.dpopKey === undefined ? undefined : loadDpopKey(session, opts.dpopKey);
  const token = await accessTokenOf(session, opts);
  if (given) return { token, dpop: given };
  if (opts.store === undefined) return { token };
  const stored = readStoreFor(session, resolveStoreSettings(opts, session.ctx)!.path);
  if (stored?.dpop_jwk === undefined || stored.token_type.toLowerCase() !== "dpop") return { token };
  try {
    return { token, dpop: DpopKey.fromJwk(stored.dpop_jwk) };
  } catch (error) {
    throw new UsageError(`the DPoP key kept in the token store is unusable: ${(error as Error).message}`);
  }
}

/** --access-token (or its env variable, or stdin), or the store's; exactly one. */
export async function accessTokenOf(session: Session, opts: AccessTokenOptions): Promise<string> {
  const given = opts.accessToken !== undefined || !!session.ctx.env.OAUTH_ACCESS_TOKEN;
  if (opts.store !== undefined && opts.accessToken !== undefined) throw new UsageError("give the access token once: --access-token or --store, not both");
  if (opts.store !== undefined) return accessTokenFromStore(session, opts);
  if (opts.minTtl !== undefined || opts.force || opts.lockTimeout !== undefined) throw new UsageError("--min-ttl, --force and --lock-timeout only work with --store PATH");
  const token = given ? await readTokenFlag(session, "--access-token", opts.accessToken, "OAUTH_ACCESS_TOKEN") : undefined;
  if (token === undefined) throw new UsageError("missing --access-token TOKEN (or OAUTH_ACCESS_TOKEN, or --access-token - for standard input), or --store PATH");
  return token;
}
