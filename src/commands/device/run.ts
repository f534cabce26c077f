import type { Context } from "../../context.js";
import { OAuthServerError, UsageError } from "../../errors/cli-error.js";
import { isLoopbackHost } from "../../loopback/host.js";
import { buildDeviceAuthorizationRequest, DEVICE_CODE_GRANT_TYPE, parseDeviceAuthorizationResponse } from "../../oauth/device-authorization.js";
import { networkFailure } from "../../http/failure.js";
import { withFlagNames } from "../shared/parameter-flags.js";
import { printTokens } from "../shared/print.js";
import { checkRequired } from "../shared/required.js";
import { resolveOutputMode, resolveTokenTarget, sessionOptions, type TokenTarget } from "../shared/resolve.js";
import { TokensNotSavedError } from "../shared/save-tokens.js";
import { Session } from "../shared/session.js";
import { readStoreFor, resolveStoreSettings } from "../shared/store.js";
import { signAssertion, type TokenRequest } from "../shared/token-request.js";
import { DEVICE_REQUIRED, type DeviceOptions } from "./flags.js";
import { pollForTokens } from "./poll.js";
import { presentUserCode } from "./present.js";

/** Why the flow ended, in a line the user can act on; the catalogue explains the code itself. */
const ENDINGS: Readonly<Record<string, string>> = {
  access_denied: "The user declined on the verification page (or the server's policy refused). Run the command again to start over.",
  expired_token: "Nobody approved before the code expired. Run the command again for a new code, and enter it sooner.",
  authorization_expired: "Nobody approved before the code expired (this server's name for expired_token). Run the command again for a new code.",
};

/** --device-authorization-endpoint wins; else discovery's device_authorization_endpoint (RFC 8628 §4). */
function deviceEndpointOf(session: Session, opts: DeviceOptions, target: TokenTarget): string {
  const fromMetadata = target.endpoints.metadata?.device_authorization_endpoint;
  const endpoint = opts.deviceAuthorizationEndpoint ?? (typeof fromMetadata === "string" ? fromMetadata : undefined);
  if (endpoint === undefined) {
    throw new UsageError(`the metadata of ${opts.issuer} has no device_authorization_endpoint: the server does not advertise the device flow`, {
      hint: "Give --device-authorization-endpoint URL if it has one anyway, or sign in with oauth-cli authorize (--paste works over SSH).",
    });
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UsageError(`--device-authorization-endpoint: "${endpoint}" is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new UsageError(`--device-authorization-endpoint: "${endpoint}" must be an http(s) URL`);
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) session.warn(`${endpoint} is plain http: the device code crosses the network unencrypted (RFC 9700 §2.6)`);
  return endpoint;
}

/**
 * The device authorization grant: ask for a user code, show it, poll until approved.
 * @see https://www.rfc-editor.org/rfc/rfc8628
 */
export async function runDevice(ctx: Context, opts: DeviceOptions): Promise<void> {
  const session = new Session(ctx, sessionOptions(opts));
  const mode = resolveOutputMode(opts, ctx);
  checkRequired(DEVICE_REQUIRED, opts, ctx.env);
  const store = resolveStoreSettings(opts, ctx);
  // A corrupt store stops the run before anyone is asked to approve anything.
  if (store) readStoreFor(session, store.path);
  // Without --device-authorization-endpoint, discovery runs even when the token endpoint is given
  // (asking for "an authorization endpoint" is what makes resolveEndpoints discover).
  const target = await resolveTokenTarget(session, opts, { authorization: opts.deviceAuthorizationEndpoint === undefined });
  const deviceEndpoint = deviceEndpointOf(session, opts, target);

  // The device authorization request authenticates the client as the token request does (RFC 8628 §3.1).
  const assertion = await signAssertion(session, target);
  const built = await withFlagNames(() =>
    buildDeviceAuthorizationRequest({ endpoint: deviceEndpoint, clientId: target.client.clientId, clientSecret: target.client.clientSecret, authMethod: target.client.authMethod, clientAssertion: assertion?.jwt, scope: opts.scope, params: target.params, headers: target.headers }),
  );
  const exchange = await session.send(built);
  const issuedAt = ctx.now();
  if (exchange.failure && !exchange.response) {
    session.trace(exchange);
    throw networkFailure(exchange, "the device authorization endpoint");
  }
  let parsed;
  try {
    parsed = parseDeviceAuthorizationResponse(exchange);
  } catch (error) {
    session.trace(exchange);
    throw error;
  }
  const { authorization, notes } = parsed;
  // Both codes are secret fields; verification_uri_complete carries the user code too.
  session.addSecret(authorization.device_code);
  session.addSecret(authorization.user_code);
  session.trace(exchange);
  for (const note of notes) session.note(note);
  await presentUserCode(session, authorization, { qr: opts.qr !== false, open: !!opts.open });

  const request: TokenRequest = { endpoints: target.endpoints, client: target.client, grant: { grant_type: DEVICE_CODE_GRANT_TYPE, device_code: authorization.device_code }, params: target.params, headers: target.headers };
  const { step, saved } = await pollForTokens(session, request, authorization, store, issuedAt);
  if (step.outcome.kind === "failed") {
    const error = step.outcome.error;
    const ending = error instanceof OAuthServerError ? ENDINGS[error.report.error] : undefined;
    throw ending && error instanceof OAuthServerError ? new OAuthServerError(error.report, { exchange: error.exchange, hint: ending }) : error;
  }
  ctx.stderr.write("Approved.\n");
  await printTokens(session, step.outcome.tokens, saved?.kind === "unsaved" ? "json" : mode);
  if (saved && saved.kind !== "saved") throw new TokensNotSavedError(saved);
}
