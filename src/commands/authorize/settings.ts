import { UsageError } from "../../errors/cli-error.js";
import { asRedirectHost, REDIRECT_HOSTS, type RedirectHost } from "../../loopback/host.js";
import { PKCE_METHODS, type PkceMethod } from "../../oauth/pkce.js";
import type { Session } from "../shared/session.js";
import type { AuthorizeOptions } from "./flags.js";

export interface AuthorizeSettings {
  readonly pkceMethod: PkceMethod;
  readonly waitMs: number;
  readonly listen: { readonly host: RedirectHost; readonly port: number; readonly path: string };
  /** --redirect-uri: sent instead of the listener's own URI (a registered URI behind a forwarder). */
  readonly redirectUri?: string;
  readonly exchange: boolean;
  readonly open: boolean;
  readonly paste: boolean;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) throw new UsageError(`--port: "${value}" is not a port number (1–65535)`);
  return port;
}

function parseRedirectUri(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--redirect-uri: "${value}" is not a URL`);
  }
  if (url.hash) throw new UsageError(`--redirect-uri: "${value}" must not have a fragment (RFC 6749 §3.1.2)`);
  return url;
}

/** Checks every authorize-only flag; a loopback --redirect-uri also tells the listener its host, port and path. */
export function parseAuthorizeSettings(session: Session, opts: AuthorizeOptions): AuthorizeSettings {
  const pkceMethod = (opts.pkce ?? "S256") as PkceMethod;
  if (!PKCE_METHODS.includes(pkceMethod)) throw new UsageError(`--pkce: "${opts.pkce}" is not one of ${PKCE_METHODS.join(", ")}`);
  if (pkceMethod === "plain") session.warn("--pkce plain: anyone who sees the authorization request can redeem the code (RFC 7636 §7.2); use it only if the server cannot do S256");
  if (pkceMethod === "none") session.warn("--pkce none: the code is not bound to this client; RFC 9700 §2.1.1 asks for PKCE on every authorization code flow");

  const wait = Number(opts.wait ?? "300");
  if (!Number.isFinite(wait) || wait <= 0) throw new UsageError(`--wait: "${opts.wait}" is not a positive number of seconds`);

  let host: RedirectHost | undefined;
  if (opts.redirectHost !== undefined) {
    host = asRedirectHost(opts.redirectHost);
    if (host === undefined) throw new UsageError(`--redirect-host: "${opts.redirectHost}" is not one of ${REDIRECT_HOSTS.join(", ")}`);
  }
  let port = opts.port === undefined ? undefined : parsePort(opts.port);
  let path = opts.redirectPath;
  if (path !== undefined && (!path.startsWith("/") || /[?#\s]/.test(path))) {
    throw new UsageError(`--redirect-path: "${path}" must start with / and have no query, fragment or spaces`);
  }

  const redirectUri = opts.redirectUri === undefined ? undefined : parseRedirectUri(opts.redirectUri);
  if (redirectUri) {
    const loopbackHost = redirectUri.protocol === "http:" ? asRedirectHost(redirectUri.hostname) : undefined;
    if (loopbackHost) {
      // A loopback redirect URI says where to listen, unless a flag says otherwise.
      host ??= loopbackHost;
      if (redirectUri.port) port ??= Number(redirectUri.port);
      path ??= redirectUri.pathname;
    } else {
      if (redirectUri.protocol === "http:") session.warn(`--redirect-uri ${opts.redirectUri} is plain http to a non-loopback host: the code crosses the network unencrypted (RFC 9700 §4.14.1)`);
      if (port === undefined && !opts.paste) session.warn("--redirect-uri without --port: the forwarder must reach the ephemeral port printed below");
    }
  }
  if (opts.state !== undefined && opts.state === "") throw new UsageError("--state: must not be empty");
  if (opts.state !== undefined) session.warn("--state: a fixed state is for debugging only; the default is fresh and random every run (RFC 9700 §4.7.1)");
  if (opts.responseMode === "fragment" && !opts.paste) session.warn("--response-mode fragment: browsers never send the fragment to the listener; use --paste and paste the whole URL");

  return {
    pkceMethod,
    waitMs: Math.round(wait * 1000),
    listen: { host: host ?? "127.0.0.1", port: port ?? 0, path: path ?? "/callback" },
    redirectUri: opts.redirectUri,
    exchange: opts.exchange !== false,
    open: opts.open !== false,
    paste: !!opts.paste,
  };
}
