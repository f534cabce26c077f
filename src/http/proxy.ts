import type { Dispatcher } from "undici";
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
 * 127.0.0.0/8 (also IPv4-mapped), ::1, localhost and *.localhost (RFC 6761 §6.3): a proxy elsewhere cannot reach them
 * as we mean them, and would see the credentials in the request.
 * @see https://www.rfc-editor.org/rfc/rfc6761#section-6.3
 */
export function isLoopbackTarget(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, "");
  // WHATWG URLs write an IPv4-mapped 127.x.y.z as [::ffff:7fxx:xxxx].
  return isLoopbackHost(h) || h.endsWith(".localhost") || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(h);
}

/**
 * Whether a request to `url` goes through a proxy: one is set for its scheme (https:// falls back to
 * HTTP_PROXY, as undici does), NO_PROXY does not name it, and it is not loopback (unless allowed).
 */
export function mayUseProxy(url: URL, settings: ProxySettings | undefined): boolean {
  if (!settings || !rawProxyFor(url, settings)) return false;
  if (excludedByNoProxy(url, settings.noProxy)) return false;
  return settings.proxyLoopback || !isLoopbackTarget(url.hostname);
}

/**
 * NO_PROXY as undici reads it (so that the two never disagree): `*`, or entries `host`, `.host`,
 * `*.host`, each optionally `:port`, matching the host and its subdomains.
 */
export function excludedByNoProxy(url: URL, noProxy: string): boolean {
  const entries = noProxy.split(/[,\s]/).filter(Boolean);
  if (entries.length === 0) return false;
  if (noProxy === "*") return true;
  const hostname = url.hostname.toLowerCase();
  const port = Number.parseInt(url.port, 10) || (url.protocol === "https:" ? 443 : 80);
  return entries.some((entry) => {
    const parsed = /^(.+):(\d+)$/.exec(entry);
    const host = (parsed ? parsed[1]! : entry).replace(/^\*?\./, "").toLowerCase();
    if (parsed && Number.parseInt(parsed[2]!, 10) !== port) return false;
    return hostname === host || hostname.endsWith(`.${host}`);
  });
}

function rawProxyFor(url: URL, settings: ProxySettings): string {
  return url.protocol === "https:" ? settings.httpsProxy || settings.httpProxy : settings.httpProxy;
}

/** The proxy an http(s) URL would use, without user:password, for messages. */
export function proxyShownFor(url: URL, settings: ProxySettings): string | undefined {
  const raw = rawProxyFor(url, settings);
  if (!raw) return undefined;
  try {
    const proxy = new URL(raw);
    return `${proxy.protocol}//${proxy.host}`;
  } catch {
    return undefined;
  }
}

/** The code of the error for a proxy that hung up on CONNECT (see tunnelClientFactory). */
export const PROXY_TUNNEL_REFUSED = "ERR_PROXY_TUNNEL_REFUSED";

type ConnectFn = (options: Dispatcher.ConnectOptions) => Promise<Dispatcher.ConnectData>;

/**
 * The client undici's ProxyAgent uses to talk to the proxy, with one change: when the proxy hangs up
 * on CONNECT, the error says so and is final. undici files a closed socket under "recoverable" and
 * reconnects at once, for ever, at full CPU (its issues #3897 and #5093).
 */
export async function tunnelClientFactory(): Promise<(origin: URL, options: object) => Dispatcher> {
  const Pool = (await import("undici/lib/dispatcher/pool.js")).default as new (origin: URL, options: object) => Dispatcher;
  return (origin, options) => {
    const pool = new Pool(origin, options);
    const connect = (pool as unknown as { connect: ConnectFn }).connect.bind(pool);
    (pool as unknown as { connect: ConnectFn }).connect = async (params) => {
      try {
        return await connect(params);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code !== "UND_ERR_SOCKET" && code !== "ECONNRESET" && code !== "UND_ERR_HTTP_PARSER" && (error as Error).name !== "HTTPParserError") throw error;
        throw Object.assign(new Error(`the proxy ${origin.host} closed the connection when asked to open a tunnel (CONNECT)`), { code: PROXY_TUNNEL_REFUSED, cause: error });
      }
    };
    return pool;
  };
}
