import type { Context } from "../../context.js";
import { networkFailure } from "../../http/failure.js";
import { buildUserinfoRequest, parseUserinfoResponse } from "../../oauth/userinfo.js";
import { styleFor } from "../../output/style.js";
import { wrapFor } from "../../output/wrap.js";
import { parseHeaders, sessionOptions } from "../shared/resolve.js";
import { resolveServerEndpoint } from "../shared/server-endpoint.js";
import { Session } from "../shared/session.js";
import { accessOf } from "../shared/stored-access.js";
import { dpopAuthorization, refuseDpopHeader, sendWithDpop } from "../shared/dpop.js";
import { readStoreFor } from "../shared/store.js";
import { expandPath } from "../shared/paths.js";
import { managedOutputMode, withoutProfileStore } from "../shared/token-source.js";
import { USERINFO, USERINFO_REQUIREMENTS, type UserinfoOptions } from "./flags.js";
import { checkRequired } from "../shared/required.js";

/**
 * The claims about the token's user: the token (given, or the store's) → the endpoint → GET with
 * the bearer token (or a DPoP-bound one with its proof) → trace → print; a refusal explained from its challenge.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfo
 */
export async function runUserinfo(ctx: Context, given: UserinfoOptions, storeFromProfile = false): Promise<void> {
  const opts = withoutProfileStore(given, storeFromProfile, given.accessToken !== undefined || !!ctx.env.OAUTH_ACCESS_TOKEN);
  const session = new Session(ctx, sessionOptions(opts));
  const mode = managedOutputMode(opts, ctx, "userinfo");
  checkRequired(USERINFO_REQUIREMENTS, opts, ctx.env);
  const access = await accessOf(session, opts);
  const issuer = opts.issuer ?? (opts.store !== undefined ? readStoreFor(session, expandPath(ctx, opts.store))?.issuer : undefined);
  const endpoint = await resolveServerEndpoint(session, USERINFO, opts.userinfoEndpoint, issuer);
  const headers = parseHeaders(opts.header);
  if (access.dpop) refuseDpopHeader(headers.map(([name]) => name));
  const request = buildUserinfoRequest(endpoint.url, access.token, headers);
  // A DPoP-bound token goes with its scheme and a proof carrying its hash (RFC 9449 §7.1); a nonce asked for gets one retry (§9).
  const { exchange, earlier } = access.dpop
    ? await sendWithDpop(session, access.dpop, { ...request, headers: { ...request.headers, Authorization: dpopAuthorization(access.token) } }, access.token)
    : { exchange: await session.send(request), earlier: [] };
  for (const first of earlier) session.trace(first);
  session.trace(exchange);
  if (exchange.failure) throw networkFailure(exchange, "the userinfo endpoint");
  const { claims, jwt } = parseUserinfoResponse(exchange);
  if (jwt) session.note("the userinfo response is a JWT (application/jwt): its claims are shown, its signature not checked");
  if (mode === "json") return void ctx.stdout.write(`${JSON.stringify(claims, null, 2)}\n`);
  const style = await styleFor(ctx, ctx.stdout);
  const width = Math.max(0, ...Object.keys(claims).map((k) => k.length));
  const lines = Object.entries(claims).map(([name, value]) => `  ${style.bold(name.padEnd(width))}  ${typeof value === "string" ? value : JSON.stringify(value)}`);
  ctx.stdout.write(wrapFor(ctx.stdout)(`${style.green(style.bold(`✓ userinfo for ${String(claims.sub)}`))}\n${lines.join("\n")}\n`));
}
