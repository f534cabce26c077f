import { isLoopbackHost } from "../loopback/host.js";

type Env = Readonly<Record<string, string | undefined>>;

/** The variable that lets loopback traffic go through HTTP(S)_PROXY after all (see README, "Proxies"). */
export const PROXY_LOOPBACK_VARIABLE = "OAUTH_CLI_PROXY_LOOPBACK";

/** The proxy settings of the environment, lower case first as curl reads them. */
export interface ProxySettings {
  readonly httpProxy: string;
  readonly httpsProxy: string;
  readonly noProxy: string;
  /** Loopback targets go through the proxy too: the user said so with OAUTH_CLI_PROXY_LOOPBACK=1. */
  readonly proxyLoopback: boolean;
}

/** undefined when no proxy is configured at all. */
export function readProxySettings(env: Env): ProxySettings | undefined {
  const httpProxy = env.http_proxy || env.HTTP_PROXY || "";
  const httpsProxy = env.https_proxy || env.HTTPS_PROXY || "";
  if (!httpProxy && !httpsProxy) return undefined;
  const flag = (env[PROXY_LOOPBACK_VARIABLE] ?? "").trim().toLowerCase();
  return { httpProxy, httpsProxy, noProxy: env.no_proxy ?? env.NO_PROXY ?? "", proxyLoopback: flag === "1" || flag === "true" || flag === "yes" };
}

/**
 * 127.0.0.0/8, ::1, localhost and *.localhost (RFC 6761 §6.3): a proxy elsewhere cannot reach them
 * as we mean them, and would see the credentials in the request.
 * @see https://www.rfc-editor.org/rfc/rfc6761#section-6.3
 */
export function isLoopbackTarget(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, "");
  return isLoopbackHost(h) || h.endsWith(".localhost");
}

/** Whether a request to `url` goes through the configured proxy, before NO_PROXY (undici applies that). */
export function mayUseProxy(url: URL, settings: ProxySettings | undefined): boolean {
  if (!settings) return false;
  return settings.proxyLoopback || !isLoopbackTarget(url.hostname);
}

/** The proxy an http(s) URL would use, without user:password, for messages. */
export function proxyShownFor(url: URL, settings: ProxySettings): string | undefined {
  const raw = url.protocol === "https:" ? settings.httpsProxy || settings.httpProxy : settings.httpProxy;
  if (!raw) return undefined;
  try {
    const proxy = new URL(raw);
    return `${proxy.protocol}//${proxy.host}`;
  } catch {
    return undefined;
  }
}
