import type { Context } from "../../context.js";
import { UsageError } from "../../errors/cli-error.js";
import { networkFailure } from "../../http/failure.js";
import { buildTokenManagementRequest, parseRevocationResponse } from "../../oauth/token-management.js";
import { styleFor } from "../../output/style.js";
import { wrapFor } from "../../output/wrap.js";
import { saveRevokedLocked, withStoreLock } from "../../store/index.js";
import { expandPath } from "../shared/paths.js";
import { checkRequired } from "../shared/required.js";
import { type ClientConfig, parseHeaders, resolveClient, sessionOptions } from "../shared/resolve.js";
import { authMetadataFor, endpointAssertion, readTokenFlag, resolveServerEndpoint, type ServerEndpoint, withEndpointMtlsAlias } from "../shared/server-endpoint.js";
import { Session } from "../shared/session.js";
import { lockWaitOf, readStoreFor, resolveStoreSettings } from "../shared/store.js";
import { clientOptions, managedOutputMode, requireStore, tokenRequirements, withoutProfileStore } from "../shared/token-source.js";
import { REVOCATION, type RevokeOptions } from "./flags.js";

/** One token to revoke, and what kind it is (the hint sent with it). */
interface Revocation {
  readonly token: string;
  readonly hint?: string;
}

/**
 * Revokes a token, or both tokens of a store: resolve the endpoint and client → send each (the
 * refresh token first: its grant's access tokens usually go with it) → trace → mark the store
 * revoked, under its lock → print.
 * @see https://www.rfc-editor.org/rfc/rfc7009
 */
export async function runRevoke(ctx: Context, given: RevokeOptions, storeFromProfile = false): Promise<void> {
  const opts = withoutProfileStore(given, storeFromProfile, given.token !== undefined || !!ctx.env.OAUTH_TOKEN);
  const session = new Session(ctx, sessionOptions(opts));
  const mode = managedOutputMode(opts, ctx, "revoke");
  checkRequired(tokenRequirements<RevokeOptions>("--revocation-endpoint", (o) => o.revocationEndpoint), opts, ctx.env);
  if (opts.lockTimeout !== undefined && opts.store === undefined) throw new UsageError("--lock-timeout only works with --store PATH");
  if (opts.store !== undefined && opts.tokenTypeHint !== undefined) {
    throw new UsageError("--token-type-hint: with --store, revoke revokes both stored tokens, each with its own hint", { hint: "To revoke one token of a store, give it with --token - instead." });
  }
  const storePath = opts.store === undefined ? undefined : expandPath(ctx, opts.store);
  const store = storePath === undefined ? undefined : requireStore(session, storePath, opts.issuer, opts);
  const literal = store ? undefined : await readTokenFlag(session, "--token", opts.token, "OAUTH_TOKEN");

  const found = await resolveServerEndpoint(session, REVOCATION, opts.revocationEndpoint, opts.issuer ?? store?.tokens.issuer);
  const client = await resolveClient(session, clientOptions(opts, ctx, store?.tokens), authMetadataFor(REVOCATION, found.metadata));
  const endpoint = withEndpointMtlsAlias(session, REVOCATION, found, client, opts.revocationEndpoint);
  const headers = parseHeaders(opts.header);
  const send = (revocation: Revocation) => revokeOne(session, endpoint, client, headers, revocation);

  const style = await styleFor(ctx, ctx.stdout);
  if (literal !== undefined) {
    await send({ token: literal, hint: opts.tokenTypeHint });
    const kind = opts.tokenTypeHint === "refresh_token" ? "refresh token" : opts.tokenTypeHint === "access_token" ? "access token" : "token";
    ctx.stdout.write(mode === "json" ? `${JSON.stringify({ revoked: [opts.tokenTypeHint ?? "token"] }, null, 2)}\n` : `${style.green(style.bold(`✓ revoked the ${kind}`))} ${style.dim("(HTTP 200)")}\n`);
  } else {
    const settings = resolveStoreSettings({ store: opts.store, lockTimeout: opts.lockTimeout }, ctx)!;
    const wait = lockWaitOf(session, settings);
    // Under the lock: a refresh --store running now must not save a new set over the revocation, nor spend a token we revoke.
    const done = await withStoreLock(session, settings.path, wait, async () => {
      const current = readStoreFor(session, settings.path) ?? store!.tokens;
      const revoked: string[] = [];
      if (current.refresh_token !== undefined) {
        await send({ token: current.refresh_token, hint: "refresh_token" });
        revoked.push("refresh_token");
      }
      try {
        await send({ token: current.access_token, hint: "access_token" });
      } catch (error) {
        // The refresh token is gone already: the store must say so even though the rest failed.
        if (revoked.length > 0) saveRevokedLocked(settings.path, current, ctx.now());
        throw error;
      }
      revoked.push("access_token");
      return { revoked, set: saveRevokedLocked(settings.path, current, ctx.now()) };
    });
    if (mode === "json") {
      ctx.stdout.write(`${JSON.stringify({ revoked: done.revoked, store: settings.path, revoked_at: done.set.revoked_at }, null, 2)}\n`);
    } else {
      const what = done.revoked.length === 2 ? "the refresh token, then the access token" : "the access token (the store holds no refresh token)";
      ctx.stdout.write(`${style.green(style.bold(`✓ revoked ${what}`))} ${style.dim("(HTTP 200)")}\n`);
      ctx.stdout.write(wrapFor(ctx.stdout)(`  the store ${settings.path} is marked revoked: refresh --store will not send its tokens; sign in again to refill it\n`));
    }
  }
  if (mode === "pretty") session.note("a revocation endpoint answers 200 for a token it did not know too (RFC 7009 §2.2): run introspect to see the token is inactive");
}

async function revokeOne(session: Session, endpoint: ServerEndpoint, client: ClientConfig, headers: [string, string][], revocation: Revocation): Promise<void> {
  const request = buildTokenManagementRequest({
    endpoint: endpoint.url,
    token: revocation.token,
    tokenTypeHint: revocation.hint,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    authMethod: client.authMethod,
    // One per request: revoking a store sends two, and a jti is good once (RFC 7523 §3).
    clientAssertion: await endpointAssertion(session, endpoint, client),
    headers,
  });
  const exchange = await session.send(request);
  session.trace(exchange);
  if (exchange.failure) throw networkFailure(exchange, "the revocation endpoint");
  parseRevocationResponse(exchange);
}
