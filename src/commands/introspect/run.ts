import type { Context } from "../../context.js";
import { CliError, ExitCode } from "../../errors/cli-error.js";
import { networkFailure } from "../../http/failure.js";
import { buildTokenManagementRequest, parseIntrospectionResponse } from "../../oauth/token-management.js";
import { styleFor } from "../../output/style.js";
import { wrapFor } from "../../output/wrap.js";
import { expandPath } from "../shared/paths.js";
import { checkRequired } from "../shared/required.js";
import { parseHeaders, resolveClient, sessionOptions } from "../shared/resolve.js";
import { authMetadataFor, endpointAssertion, readTokenFlag, resolveServerEndpoint, withEndpointMtlsAlias } from "../shared/server-endpoint.js";
import { Session } from "../shared/session.js";
import { INTROSPECTION, type IntrospectOptions } from "./flags.js";
import { formatIntrospectionJson, formatIntrospectionPretty } from "./output.js";
import { clientOptions, managedOutputMode, requireStore, storedToken, tokenRequirements, withoutProfileStore } from "../shared/token-source.js";

/**
 * Asks the authorization server about a token: resolve the endpoint and client → send → trace →
 * print the answer → with --require-active, an inactive token fails the run.
 * @see https://www.rfc-editor.org/rfc/rfc7662
 */
export async function runIntrospect(ctx: Context, given: IntrospectOptions, storeFromProfile = false): Promise<void> {
  const opts = withoutProfileStore(given, storeFromProfile, given.token !== undefined || !!ctx.env.OAUTH_TOKEN);
  const session = new Session(ctx, sessionOptions(opts));
  const mode = managedOutputMode(opts, ctx, "introspect");
  checkRequired(tokenRequirements<IntrospectOptions>("--introspection-endpoint", (o) => o.introspectionEndpoint), opts, ctx.env);
  const store = opts.store === undefined ? undefined : requireStore(session, expandPath(ctx, opts.store), opts.issuer, opts);
  const token = store ? storedToken(store.path, store.tokens, opts.tokenTypeHint) : await readTokenFlag(session, "--token", opts.token, "OAUTH_TOKEN");
  if (token === undefined) throw new Error("runIntrospect: no token after the required-flag check");

  const found = await resolveServerEndpoint(session, INTROSPECTION, opts.introspectionEndpoint, opts.issuer ?? store?.tokens.issuer);
  const client = await resolveClient(session, clientOptions(opts, ctx, store?.tokens), authMetadataFor(INTROSPECTION, found.metadata));
  const endpoint = withEndpointMtlsAlias(session, INTROSPECTION, found, client, opts.introspectionEndpoint);
  const request = buildTokenManagementRequest({
    endpoint: endpoint.url,
    token,
    tokenTypeHint: opts.tokenTypeHint,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    authMethod: client.authMethod,
    clientAssertion: await endpointAssertion(session, endpoint, client),
    headers: parseHeaders(opts.header),
  });
  const exchange = await session.send(request);
  session.trace(exchange);
  if (exchange.failure) throw networkFailure(exchange, "the introspection endpoint");
  const result = parseIntrospectionResponse(exchange);

  const style = await styleFor(ctx, ctx.stdout);
  ctx.stdout.write(mode === "json" ? formatIntrospectionJson(result) : wrapFor(ctx.stdout)(formatIntrospectionPretty(result, style, ctx.now())));
  if (opts.requireActive && !result.active) {
    throw new CliError(ExitCode.oauth, "the token is not active (--require-active)", {
      hint: "It has expired, was revoked, or this server does not know it. Get a new one (refresh, or authorize again).",
    });
  }
}
