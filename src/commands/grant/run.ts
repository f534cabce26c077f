import type { Context } from "../../context.js";
import { UsageError } from "../../errors/cli-error.js";
import { expandGrantType, JWT_BEARER_GRANT_TYPE } from "../../oauth/token-exchange.js";
import { TOKEN_REQUEST_PARAMETERS } from "../../oauth/token-request.js";
import { SECRET_FIELDS } from "../../output/redact.js";
import { envValue } from "../shared/env.js";
import { runExtensionGrant } from "../shared/extension-grant.js";
import { reservedParameterError } from "../shared/parameter-flags.js";
import { checkRequired } from "../shared/required.js";
import { parseHeaders, resolveClient, resolveEndpoints, resolveOutputMode, sessionOptions } from "../shared/resolve.js";
import { resourceParams } from "../shared/resource.js";
import { Session } from "../shared/session.js";
import { readStoreFor, resolveStoreSettings } from "../shared/store.js";
import type { TokenRequest } from "../shared/token-request.js";
import { GRANT_REQUIRED, type GrantOptions } from "./flags.js";

/** Set by the command's own flags, never by --param. */
const OWN_PARAMETERS: Readonly<Record<string, string>> = {
  grant_type: "; use --grant-type",
  scope: "; use --scope",
};

interface SplitParams {
  /** One value per name: the grant's own parameters and every secret (traced redacted, read from `-`). */
  readonly grant: Record<string, string>;
  /** Everything else, repeats kept in order. */
  readonly params: [string, string][];
}

/**
 * --param as the grant needs it: a grant parameter the token request knows by name (code,
 * refresh_token, …) or a secret (password, assertion, …) goes with the grant, once; a secret
 * given as `-` is read from standard input. Any other name may repeat.
 */
async function splitParams(session: Session, list: readonly string[] | undefined): Promise<SplitParams> {
  const grant: Record<string, string> = {};
  const params: [string, string][] = [];
  for (const item of list ?? []) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new UsageError(`--param: "${item}" is not name=value`);
    const name = item.slice(0, eq);
    let value = item.slice(eq + 1);
    if (OWN_PARAMETERS[name] !== undefined) throw new UsageError(`--param ${name}: set by the command itself${OWN_PARAMETERS[name]}`);
    if (name === "client_id" || name === "client_secret") throw reservedParameterError(name);
    if (!TOKEN_REQUEST_PARAMETERS.includes(name) && !SECRET_FIELDS.has(name)) {
      params.push([name, value]);
      continue;
    }
    if (name in grant) throw new UsageError(`--param ${name}: given twice; a token request carries it once`);
    if (value === "-" && SECRET_FIELDS.has(name)) value = await session.readStdin(`--param ${name}`);
    grant[name] = value;
  }
  return { grant, params };
}

/**
 * Any grant type at the token endpoint: an assertion grant (RFC 7523 §2.1), a vendor's extension
 * grant (RFC 6749 §4.5), or a legacy one, for debugging.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.5
 */
export async function runGrant(ctx: Context, opts: GrantOptions): Promise<void> {
  const session = new Session(ctx, sessionOptions(opts));
  const mode = resolveOutputMode(opts, ctx);
  checkRequired(GRANT_REQUIRED, opts, ctx.env);
  const grantType = expandGrantType(opts.grantType!);
  const resources = resourceParams(opts.resource);
  const headers = parseHeaders(opts.header);
  const store = resolveStoreSettings(opts, ctx);
  if (store) readStoreFor(session, store.path);
  const split = await splitParams(session, opts.param);
  const assertion = opts.assertion === "-" ? await session.readStdin("--assertion") : (opts.assertion ?? envValue(ctx.env, "OAUTH_ASSERTION"));
  if (assertion !== undefined) {
    if ("assertion" in split.grant) throw new UsageError("the assertion is given twice: --assertion (or OAUTH_ASSERTION) and --param assertion; keep one");
    split.grant.assertion = assertion;
  }
  // RFC 7523 §2.1: the jwt-bearer grant is the assertion; without one the server can only refuse.
  if (grantType === JWT_BEARER_GRANT_TYPE && split.grant.assertion === undefined) {
    throw new UsageError("--grant-type jwt-bearer needs --assertion JWT (or OAUTH_ASSERTION, or --assertion - to read it from standard input) (RFC 7523 §2.1)");
  }
  if (grantType === "password") {
    session.warn("the resource owner password grant is deprecated and must not be used (RFC 9700 §2.4): use it only to debug a legacy server, and move to authorize or device");
  }
  const endpoints = await resolveEndpoints(session, opts);
  const client = await resolveClient(session, opts, endpoints.metadata);
  const request: TokenRequest = { endpoints, client, grant: { grant_type: grantType, ...split.grant }, scope: opts.scope, params: [...split.params, ...resources], headers };
  await runExtensionGrant(session, "grant", request, { mode, store });
}
