import type { Context } from "../../context.js";
import { UsageError } from "../../errors/cli-error.js";
import type { StoredTokenSet } from "../../store/index.js";
import { envValue } from "./env.js";
import type { Requirement } from "./required.js";
import { resolveOutputMode } from "./resolve.js";
import type { Session } from "./session.js";
import { readStoreFor } from "./store.js";

/** introspect and revoke print a server's answer, not tokens: pretty or json. */
export function managedOutputMode(opts: { output?: string; json?: boolean }, ctx: Context, command: string): "pretty" | "json" {
  const mode = resolveOutputMode(opts, ctx);
  if (mode === "env" || mode === "token") throw new UsageError(`--output ${mode}: ${command} prints the server's answer, as pretty or json`);
  return mode;
}

/** A token to send (a flag, its env variable, or a store) and an endpoint (a flag, --issuer, or the store's issuer). */
export function tokenRequirements<O extends { token?: string; store?: string; issuer?: string }>(endpointFlag: string, endpointOf: (opts: O) => string | undefined): Requirement<O>[] {
  return [
    { flag: "--token TOKEN (or OAUTH_TOKEN, or --token - for standard input), or --store PATH", met: (opts, env) => opts.token !== undefined || !!env.OAUTH_TOKEN || opts.store !== undefined },
    { flag: `${endpointFlag} URL or --issuer URL`, met: (opts) => endpointOf(opts) !== undefined || opts.issuer !== undefined || opts.store !== undefined },
  ];
}

export interface OpenedStore {
  readonly path: string;
  readonly tokens: StoredTokenSet;
}

/**
 * The store, which must exist; its tokens never go to another issuer than theirs (the flag would
 * hand them to whoever runs it).
 */
export function requireStore(session: Session, path: string, issuer: string | undefined, flags: { token?: string }): OpenedStore {
  if (flags.token !== undefined) throw new UsageError("give the token once: --token or --store, not both");
  const tokens = readStoreFor(session, path);
  if (tokens === undefined) throw new UsageError(`the token store ${path} does not exist`, { hint: "Fill it with authorize --store, exchange --store or client-credentials --store." });
  if (issuer !== undefined && tokens.issuer !== undefined && tokens.issuer.replace(/\/+$/, "") !== issuer.replace(/\/+$/, "")) {
    throw new UsageError(`the token store ${path} holds tokens of the issuer ${tokens.issuer}, not ${issuer}`, { hint: "Its tokens are only ever sent to their own server: drop --issuer, or use that server's store." });
  }
  return { path, tokens };
}

/** The stored token the hint names: the access token unless refresh_token is asked for. */
export function storedToken(path: string, tokens: StoredTokenSet, hint: string | undefined): string {
  if (hint !== "refresh_token") return tokens.access_token;
  if (tokens.refresh_token === undefined) throw new UsageError(`the token store ${path} holds no refresh token`);
  return tokens.refresh_token;
}

/** The client flags, filled from the store where they are not given (the store never names the secret). */
export function clientOptions<O extends { clientId?: string; authMethod?: string }>(opts: O, ctx: Context, stored: StoredTokenSet | undefined): O {
  return { ...opts, clientId: opts.clientId ?? envValue(ctx.env, "OAUTH_CLIENT_ID") ?? stored?.client_id, authMethod: opts.authMethod ?? stored?.auth_method };
}

/**
 * A profile's `store` is a default: a token given by flag or environment for this run wins over
 * it (and is not refused as a second token). A --store typed on the command line still conflicts.
 */
export function withoutProfileStore<O extends { store?: string }>(opts: O, storeFromProfile: boolean, tokenGiven: boolean): O {
  return tokenGiven && storeFromProfile && opts.store !== undefined ? { ...opts, store: undefined } : opts;
}
