import { UsageError } from "../../errors/cli-error.js";
import { formatJson } from "../../output/format.js";
import { obtainStoredTokens } from "../refresh/with-store.js";
import type { RefreshOptions } from "../refresh/flags.js";
import { TokensNotSavedError } from "./save-tokens.js";
import type { Session } from "./session.js";
import { readStoreFor, resolveStoreSettings } from "./store.js";

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
