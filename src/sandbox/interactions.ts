import type { IncomingHttpHeaders } from "node:http";
import type Provider from "oidc-provider";
import type { Middleware } from "oidc-provider";

/**
 * autoLogin, server side: any interaction (login or consent) is completed at once for `accountId`,
 * granting every scope the client asked for.
 */
export function autoLoginMiddleware(provider: Provider, accountId: string): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== "GET" || !/^\/interaction\/[^/]+$/.test(ctx.path)) return next();
    const { params, grantId } = await provider.interactionDetails(ctx.req, ctx.res);
    const clientId = params.client_id ?? "";
    const grant = (grantId ? await provider.Grant.find(grantId) : undefined) ?? new provider.Grant({ accountId, clientId });
    grant.addOIDCScope(params.scope ?? "openid");
    // RFC 8707: a resource asked for gets the scopes asked for too, or consent would be asked again.
    const resources = (params as Record<string, string | string[] | undefined>).resource;
    for (const resource of [resources ?? []].flat()) grant.addResourceScope(resource, params.scope ?? "");
    const result = { login: { accountId }, consent: { grantId: await grant.save() } };
    const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
    ctx.status = 303;
    ctx.redirect(returnTo);
  };
}

export interface Upstream {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * autoLogin, front side: follows the provider's own redirects (authorize → interaction → resume)
 * with a cookie jar, so the client sees one redirect from the authorization endpoint straight to
 * its redirect_uri. The cookies set on the way are passed on, so a browser keeps the session.
 */
export async function followInteractions(
  first: Upstream,
  issuer: string,
  requestCookies: string | undefined,
  get: (path: string, cookie: string) => Promise<Upstream>,
): Promise<Upstream> {
  const jar = parseCookieHeader(requestCookies);
  const setCookies: string[] = [];
  let current = first;
  let startedInteraction = false;
  for (let hop = 0; hop < 10; hop++) {
    collect(current, jar, setCookies);
    const path = sameOriginRedirect(current, issuer);
    if (path === undefined) break;
    if (!startedInteraction && !path.startsWith("/interaction/")) break;
    startedInteraction = true;
    current = await get(path, [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
  }
  return { ...current, headers: { ...current.headers, "set-cookie": setCookies } };
}

function sameOriginRedirect(up: Upstream, issuer: string): string | undefined {
  const location = up.headers.location;
  if (up.status < 300 || up.status > 399 || !location) return undefined;
  const target = new URL(location, issuer);
  return target.origin === new URL(issuer).origin ? target.pathname + target.search : undefined;
}

function collect(up: Upstream, jar: Map<string, string>, setCookies: string[]): void {
  for (const line of up.headers["set-cookie"] ?? []) {
    setCookies.push(line);
    const [pair = "", ...attrs] = line.split(";");
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = attrs.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split("=")[1] ?? "") < Date.now());
    if (!value || expired) jar.delete(name);
    else jar.set(name, value);
  }
}

function parseCookieHeader(header: string | undefined): Map<string, string> {
  const jar = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) jar.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return jar;
}
