import { OAuthServerError, UsageError } from "../../errors/cli-error.js";
import { networkFailure } from "../../http/failure.js";
import { parseParResponse, pushedAuthorizationUrl, pushedRequestOf } from "../../oauth/par.js";
import { buildTokenRequest } from "../../oauth/token-request.js";
import { sendWithDpop } from "../shared/dpop.js";
import { withFlagNames } from "../shared/parameter-flags.js";
import { signAssertion } from "../shared/token-request.js";
import type { ClientConfig, Endpoints } from "../shared/resolve.js";
import type { Session } from "../shared/session.js";

export interface ParSettings {
  readonly par?: boolean;
  readonly parEndpoint?: string;
}

/**
 * The endpoint to push to, or undefined for a plain authorization request: --par, --par-endpoint,
 * or a server that says require_pushed_authorization_requests (RFC 9126 §5).
 * @see https://www.rfc-editor.org/rfc/rfc9126#section-5
 */
export function resolveParEndpoint(session: Session, opts: ParSettings, endpoints: Endpoints): string | undefined {
  const advertised = endpoints.metadata?.pushed_authorization_request_endpoint;
  const required = endpoints.metadata?.require_pushed_authorization_requests === true;
  if (!opts.par && opts.parEndpoint === undefined && !required) return undefined;
  const endpoint = opts.parEndpoint ?? (typeof advertised === "string" ? advertised : undefined);
  if (endpoint === undefined) {
    throw new UsageError(`${required ? "the server requires pushed authorization requests, but its" : "--par: the"} metadata${endpoints.issuer ? ` of ${endpoints.issuer}` : ""} has no pushed_authorization_request_endpoint; give --par-endpoint URL`);
  }
  try {
    new URL(endpoint);
  } catch {
    throw new UsageError(`--par-endpoint: "${endpoint}" is not a URL`);
  }
  if (required && !opts.par && opts.parEndpoint === undefined) session.note("the server requires pushed authorization requests (require_pushed_authorization_requests): pushing this one (RFC 9126)");
  return endpoint;
}

/** Hints by error code for a refused push: the endpoint authenticates the client like the token endpoint. */
const PAR_HINTS: Readonly<Record<string, string>> = {
  invalid_client: "The pushed authorization request endpoint authenticates the client as the token endpoint does: check --client-id, the client secret and --auth-method.",
  unauthorized_client: "The client may not push requests, or not with this response type: check its registration.",
  invalid_request: "Compare the pushed parameters (run with -v) with the client's registration: redirect_uri, scope, PKCE, and any --param.",
  invalid_redirect_uri: "The pushed redirect_uri is not registered for this client (RFC 9126 §2.4); --redirect-uri or --port may fix it.",
};

/**
 * Pushes the authorization request and returns the URL for the browser: client_id and request_uri
 * only. With DPoP, the push carries a proof too, binding the code to the key (RFC 9449 §10.1).
 * @see https://www.rfc-editor.org/rfc/rfc9126#section-2
 */
export async function pushAuthorizationRequest(
  session: Session,
  target: { endpoint: string; authorizationEndpoint: string; endpoints: Endpoints; client: ClientConfig; clientId: string; headers: readonly (readonly [string, string])[] },
  authorizationUrl: string,
): Promise<string> {
  const pushed = pushedRequestOf(authorizationUrl, target.authorizationEndpoint);
  const { client } = target;
  // The push authenticates the client as the token endpoint does, so a JWT client signs an assertion
  // for it too, fresh for each send (a DPoP nonce retry included: a jti is good once).
  let signed: Awaited<ReturnType<typeof signAssertion>>;
  const build = async () => {
    signed = await signAssertion(session, { client, endpoints: target.endpoints }, target.endpoint);
    return withFlagNames(() =>
      buildTokenRequest({
        tokenEndpoint: target.endpoint,
        // client_id is an authorization request parameter, so it is in the body even beside a Basic header (RFC 9126 §2.1).
        grant: client.authMethod === "client_secret_basic" ? { client_id: target.clientId, ...pushed.fields } : pushed.fields,
        clientId: target.clientId,
        clientSecret: client.clientSecret,
        authMethod: client.authMethod,
        clientAssertion: signed?.jwt,
        // RFC 9126 §2.1: the push is a form POST, whatever the token endpoint takes.
        bodyFormat: "form",
        scope: pushed.scope,
        params: pushed.repeated,
        headers: target.headers,
      }),
    );
  };
  const { exchange, earlier } = client.dpop ? await sendWithDpop(session, client.dpop, build) : { exchange: await session.send(await build()), earlier: [] };
  for (const one of [...earlier, exchange]) session.trace(one);
  // As after a token request: the assertion is redacted in the body, its header and claims are what one checks.
  const sent = signed as Awaited<ReturnType<typeof signAssertion>>;
  if (sent && session.options.verbose) {
    session.traceText(`* client_assertion header ${JSON.stringify(sent.header)}\n* client_assertion claims ${JSON.stringify(sent.claims)} (signature redacted)\n`);
  }
  if (exchange.failure) throw networkFailure(exchange, "the pushed authorization request endpoint");
  try {
    const answer = parseParResponse(exchange);
    return pushedAuthorizationUrl(target.authorizationEndpoint, target.clientId, answer.request_uri);
  } catch (error) {
    if (!(error instanceof OAuthServerError)) throw error;
    const hint = PAR_HINTS[error.report.error];
    throw new OAuthServerError(error.report, {
      exchange: error.exchange,
      details: [`  refused by the pushed authorization request endpoint ${target.endpoint} (RFC 9126 §2.3)`, `  this run pushed: ${[...Object.keys(pushed.fields), ...(pushed.scope ? ["scope"] : [])].join(", ")}`],
      ...(hint ? { hint } : {}),
    });
  }
}
