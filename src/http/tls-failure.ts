import type { NetworkFailure } from "./types.js";

/**
 * TLS failures in words, each with the fix that actually applies: --ca-file helps a CA we do not
 * know, and nothing on our side helps an expired certificate or one made out for another name.
 * OpenSSL's own text stays only as the code in parentheses.
 */
export interface TlsProblem {
  readonly message: string;
  readonly hint: string;
}

const CA_FILE = "--ca-file PATH (or NODE_EXTRA_CA_CERTS)";

export function describeTlsFailure(code: string, rawMessage: string, url: URL, options: { caFile?: string; altNames?: string }): TlsProblem {
  const host = url.hostname;
  const given = options.caFile ? ` The --ca-file given (${options.caFile}) does not contain it.` : "";
  switch (code) {
    case "DEPTH_ZERO_SELF_SIGNED_CERT":
      return {
        message: `the certificate of ${host} is self-signed, and nothing here trusts it`,
        hint: `If this is a server you run yourself and trust, give its certificate with ${CA_FILE}.${given} Turning verification off is never the fix.`,
      };
    case "SELF_SIGNED_CERT_IN_CHAIN":
      return {
        message: `the certificate chain of ${host} ends at a root CA that is not trusted here (a company or test CA, or a TLS-inspecting proxy)`,
        hint: `Give that root CA's certificate with ${CA_FILE}.${given}`,
      };
    case "UNABLE_TO_VERIFY_LEAF_SIGNATURE":
    case "UNABLE_TO_GET_ISSUER_CERT":
    case "UNABLE_TO_GET_ISSUER_CERT_LOCALLY":
      return {
        message: `the certificate of ${host} was issued by a CA that is not trusted here`,
        hint: `Give the issuing CA's certificate with ${CA_FILE}.${given} If that CA is a public one, the server is not sending its intermediate certificate: the server must send the full chain.`,
      };
    case "CERT_HAS_EXPIRED":
      return {
        message: `the certificate of ${host} has expired`,
        hint: "The server must renew its certificate; --ca-file cannot change that. If the certificate should still be valid, check this machine's clock.",
      };
    case "CERT_NOT_YET_VALID":
      return {
        message: `the certificate of ${host} is not valid yet`,
        hint: "Check this machine's clock (and then the certificate's start date); --ca-file cannot change that.",
      };
    case "ERR_TLS_CERT_ALTNAME_INVALID": {
      const names = options.altNames ? ` (it names ${options.altNames})` : "";
      return {
        message: `the certificate of the server at ${url.host} is made out for other names than "${host}"${names}`,
        hint: "Use the host name the certificate names, or the server needs a certificate for this name; --ca-file cannot fix a wrong name.",
      };
    }
    case "ERR_SSL_WRONG_VERSION_NUMBER":
    case "ERR_SSL_PACKET_LENGTH_TOO_LONG":
      return {
        message: `the server at ${url.host} did not answer in TLS: this port does not speak HTTPS`,
        hint: "Check the port; if the server really speaks plain HTTP, the URL must say http:// (and then codes and tokens cross the network in clear text).",
      };
    case "ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED":
    case "ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE":
      return {
        message: `the server at ${url.host} wants a client certificate (mutual TLS), and oauth-cli sends none`,
        hint: "This endpoint uses mutual TLS (RFC 8705); oauth-cli cannot present a client certificate. If the provider has a non-mTLS endpoint for this client, use that one.",
      };
    case "ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION":
    case "ERR_SSL_UNSUPPORTED_PROTOCOL":
    case "ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE":
    case "ERR_SSL_NO_PROTOCOLS_AVAILABLE":
      return {
        message: `the server at ${url.host} and this machine have no TLS version or cipher in common (or the server wants a client certificate)`,
        hint: "Either the server's TLS settings are older or stricter than Node's, or it requires a client certificate (mutual TLS, RFC 8705), which oauth-cli does not send; --ca-file cannot change either.",
      };
    default:
      return {
        message: `the TLS connection to ${url.host} failed (OpenSSL says: ${rawMessage.trim().replace(/\s+/g, " ")})`,
        hint: `Check the scheme and port of the URL. If the server's certificate is the problem, give its CA with ${CA_FILE}.`,
      };
  }
}

/** The https:// URL was answered in plain HTTP: say so and give the http:// URL. */
export function plainHttpOnTlsUrl(url: URL): TlsProblem {
  const plain = new URL(url.href);
  plain.protocol = "http:";
  return {
    message: `this port answers plain HTTP, not HTTPS: use ${plain.href}`,
    hint: `The server at ${url.host} speaks HTTP without TLS; with http:// codes, secrets and tokens cross the network unencrypted, so do that only on loopback or a network you trust.`,
  };
}

/** The http:// URL reached a TLS server. */
export function tlsOnPlainUrl(url: URL): TlsProblem {
  const secure = new URL(url.href);
  secure.protocol = "https:";
  return {
    message: `this port speaks TLS (HTTPS), not plain HTTP: use ${secure.href}`,
    hint: `The server at ${url.host} closed the connection because the request was not encrypted; change the URL to https://.`,
  };
}

/** Whether whatever listens on host:port answers an HTTP request in HTTP (its first bytes are "HTTP/"). */
export async function answersPlainHttp(url: URL, timeoutMs: number): Promise<boolean> {
  const { connect } = await import("node:net");
  return new Promise((resolve) => {
    const socket = connect({ host: unbracket(url.hostname), port: Number(url.port || 443) });
    let head = "";
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on("error", () => done(false));
    socket.on("connect", () => socket.write(`HEAD / HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`));
    socket.on("data", (chunk: Buffer) => {
      head += chunk.toString("latin1");
      if (head.length >= 5) done(head.startsWith("HTTP/"));
    });
    socket.on("end", () => done(head.startsWith("HTTP/")));
  });
}

/** Whether whatever listens on host:port completes a TLS handshake (certificate not checked: only the protocol matters). */
export async function speaksTls(url: URL, timeoutMs: number): Promise<boolean> {
  const { connect } = await import("node:tls");
  const { isIP } = await import("node:net");
  return new Promise((resolve) => {
    const host = unbracket(url.hostname);
    const socket = connect({ host, port: Number(url.port || 80), rejectUnauthorized: false, ...(isIP(host) ? {} : { servername: host }) });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on("error", () => done(false));
    socket.on("secureConnect", () => done(true));
  });
}

function unbracket(hostname: string): string {
  return hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
}

/** Replaces a failure's words with a clearer account of the same problem. */
export function restate(failure: NetworkFailure, problem: TlsProblem): NetworkFailure {
  return { ...failure, kind: "tls", message: problem.message, hint: problem.hint };
}
