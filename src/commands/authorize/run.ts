import type { Context } from "../../context.js";
import { UsageError } from "../../errors/cli-error.js";
import { pickFreePort, startListener } from "../../loopback/listener.js";
import { AUTHORIZATION_REQUEST_PARAMETERS, buildAuthorizationUrl } from "../../oauth/authorization-request.js";
import { TOKEN_REQUEST_PARAMETERS } from "../../oauth/token-request.js";
import type { ServerMetadata } from "../../oauth/discovery.js";
import { createPkce, type PkceMethod } from "../../oauth/pkce.js";
import { withFlagNames } from "../shared/parameter-flags.js";
import { resourceParams } from "../shared/resource.js";
import { parseHeaders, parseParams, resolveClient, resolveEndpoints, resolveOutputMode, sessionOptions, withMtlsAlias } from "../shared/resolve.js";
import { Session } from "../shared/session.js";
import { readStoreFor, resolveStoreSettings } from "../shared/store.js";
import type { AuthorizeOptions } from "./flags.js";
import { type AuthorizeFlow, type AuthorizeResult, createCallbackHandler } from "./flow.js";
import { presentUrl, printAuthorizeResult } from "./output.js";
import { completePasted } from "./paste.js";
import { askForMissing, askForScopes, defaultScope } from "./prompt.js";
import { parseAuthorizeSettings } from "./settings.js";
import { prefetchKeys, wantsIdToken } from "./id-token.js";
import { pushAuthorizationRequest, resolveParEndpoint } from "./par.js";

/** Never a silent fallback: the server's list only produces a warning (RFC 7636 §7.2). */
function warnPkceSupport(session: Session, method: PkceMethod, metadata: ServerMetadata | undefined): void {
  const supported = metadata?.code_challenge_methods_supported;
  if (method !== "none" && supported && !supported.includes(method)) {
    session.warn(`the server lists code_challenge_methods_supported: ${supported.join(", ") || "(none)"}; it may refuse --pkce ${method}`);
  }
}

/**
 * The authorization code flow for a native app: loopback redirect, PKCE, state and iss checked,
 * code redeemed at once.
 * @see https://www.rfc-editor.org/rfc/rfc8252
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1
 * @see https://www.rfc-editor.org/rfc/rfc7636
 */
export async function runAuthorize(ctx: Context, given: AuthorizeOptions): Promise<void> {
  const session = new Session(ctx, sessionOptions(given));
  const mode = resolveOutputMode(given, ctx);
  const settings = parseAuthorizeSettings(session, given);
  const store = resolveStoreSettings(given, ctx);
  if (store && !settings.exchange) throw new UsageError("--store needs the code redeemed: drop --no-exchange");
  // A corrupt store stops the run before the user signs in for nothing.
  if (store) readStoreFor(session, store.path);
  // Before any question or request: a refused --param or --header should not cost the user an answer.
  // A resource indicator goes to both requests (RFC 8707 §2.1, §2.2); --token-param to the exchange only.
  const resources = resourceParams(given.resource);
  const params = [...parseParams(given.param, AUTHORIZATION_REQUEST_PARAMETERS), ...resources];
  const tokenParams = [...parseParams(given.tokenParam, TOKEN_REQUEST_PARAMETERS, "--token-param"), ...resources];
  const headers = parseHeaders(given.header);
  const { opts, prompter } = await askForMissing(session, given);
  const endpoints = await resolveEndpoints(session, opts, { authorization: true });
  const authorizationEndpoint = endpoints.authorizationEndpoint;
  if (authorizationEndpoint === undefined) throw new UsageError(`the metadata of ${opts.issuer} has no authorization_endpoint; give --authorization-endpoint URL`);
  const scope = opts.scope ?? (prompter ? await askForScopes(prompter, endpoints.metadata) : defaultScope(session, endpoints));
  if (opts.exchangeScope && !scope) throw new UsageError("--exchange-scope repeats --scope in the code exchange: give --scope too");
  const client = await resolveClient(session, opts, endpoints.metadata);
  // askForMissing made sure of a client id (flag, environment or answer).
  const clientId = client.clientId!;
  warnPkceSupport(session, settings.pkceMethod, endpoints.metadata);
  const parEndpoint = resolveParEndpoint(session, opts, endpoints);
  // Fresh per run, 256 bits, single use (RFC 9700 §4.7.1, RFC 8252 §8.9).
  const state = opts.state ?? Buffer.from(ctx.randomBytes(32)).toString("base64url");
  const pkce = createPkce(settings.pkceMethod, ctx.randomBytes);
  session.addSecret(pkce.verifier);
  // OpenID Connect: a fresh nonce binds the ID token to this sign-in (OIDC Core §3.1.2.1, §15.5.2).
  const nonce = wantsIdToken(scope) ? Buffer.from(ctx.randomBytes(32)).toString("base64url") : undefined;
  const idToken = { nonce, issuer: endpoints.issuer, clientId, keys: settings.exchange ? await prefetchKeys(session, endpoints) : undefined };

  const { host, port, path } = settings.listen;
  const listener = settings.paste
    ? undefined
    : await startListener({
        ...settings.listen,
        extraHostNames: settings.redirectUri ? [new URL(settings.redirectUri).hostname] : [],
        notify: (line) => ctx.stderr.write(`${line}\n`),
      });
  try {
    const redirectUri = settings.redirectUri ?? listener?.redirectUri ?? `http://${host}:${port || (await pickFreePort())}${path}`;
    const flow: AuthorizeFlow = {
      session, endpoints: withMtlsAlias(session, opts, endpoints, client), client, redirectUri, state, pkce, scope, exchange: settings.exchange, headers, store, idToken, tokenParams, exchangeScope: !!opts.exchangeScope, requestedAt: ctx.now(), pushed: parEndpoint !== undefined,
    };
    const finish = async (result: AuthorizeResult) => {
      await printAuthorizeResult(session, result, mode, { redirectUri, verifier: pkce.verifier, nonce });
    };
    const fullUrl = await withFlagNames(() => buildAuthorizationUrl({
      authorizationEndpoint, clientId, redirectUri, state, pkce, scope,
      prompt: opts.prompt, loginHint: opts.loginHint, responseMode: opts.responseMode, nonce, params,
    }));
    const url = parEndpoint === undefined ? fullUrl : await pushAuthorizationRequest(session, { endpoint: parEndpoint, authorizationEndpoint, endpoints, client, clientId, headers }, fullUrl);
    if (!listener) {
      await presentUrl(session, url, { open: settings.open });
      return await finish(await completePasted(flow, prompter ?? (await ctx.prompter())));
    }
    // Listen before the browser can arrive; the result is awaited after opening it.
    const waiting = listener.wait(createCallbackHandler(flow), { timeoutMs: settings.waitMs, signal: ctx.signal });
    waiting.catch(() => undefined);
    const waitingOn = listener.addresses.length > 1 ? `${listener.redirectUri} (${listener.addresses.join(" and ")})` : listener.redirectUri;
    await presentUrl(session, url, { open: settings.open, waitingOn, waitSeconds: settings.waitMs / 1000 });
    await finish(await waiting);
  } finally {
    await listener?.close();
  }
}
