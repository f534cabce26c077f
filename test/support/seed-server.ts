import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A small loopback server that speaks the seed formats oidc-provider does not: a JSON-only token
 * endpoint (seed 003), the legacy envelope and array descriptions (seed 001), the extended codes
 * of seed 002 with their statuses, and misbehaviour (HTML 502, redirects, huge bodies, silence).
 * Not a substitute for the real server; only for these shapes.
 */
export interface SeedServer {
  readonly url: string;
  /** Every request the server saw, body included. */
  readonly requests: { method: string; url: string; headers: IncomingMessage["headers"]; body: string }[];
  close(): Promise<void>;
}

type Route = (req: IncomingMessage, body: string, res: ServerResponse, base: string) => void;

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", "x-request-id": "seed-req-1", ...headers });
  res.end(JSON.stringify(body));
}

const TOKEN = { access_token: "seed-access-token-1", token_type: "Bearer", expires_in: 3600, refresh_token: "seed-refresh-token-1", scope: "business_connect" };

const SEED_002: Record<string, number> = {
  not_supported: 400,
  account_locked: 401,
  account_disabled: 401,
  authorization_pending: 401,
  authorization_expired: 401,
  slow_down: 401,
};

const ROUTES: Record<string, Route> = {
  "/json-only/token": (req, body, res) => {
    if (!/application\/json/.test(req.headers["content-type"] ?? "")) {
      json(res, 400, { error: "invalid_request", error_description: "Unsupported Media Type for POST body. Must be json." });
      return;
    }
    const fields = JSON.parse(body) as Record<string, string>;
    if (fields.grant_type !== "client_credentials") json(res, 400, { error: "invalid_grant", error_description: "grant_type is invalid. Accepted values: refresh_token, client_credentials, authorization_code" });
    else json(res, 200, TOKEN);
  },
  "/legacy/token": (_req, body, res) => {
    const fields = new URLSearchParams(body);
    if (fields.get("refresh_token") === "bad") {
      json(res, 400, { success: false, errorMessage: "Invalid grant", errorDetails: ["refresh_token is expired"], errorCode: "invalid_grant" });
      return;
    }
    json(res, 200, { success: true, data: { access_token: "legacy-at-1", token_type: "bearer", refresh_token: "legacy-rt-2", ttl: "3600", issued_at: "2026-01-01T00:00:00Z", expires_at: "2026-01-01T01:00:00Z" } });
  },
  "/array/token": (_req, _body, res) => json(res, 400, { error: "invalid_request", error_description: ["Missing required params", "client_secret"] }),
  "/string-expiry/token": (_req, _body, res) => json(res, 200, { ...TOKEN, expires_in: "3599", token_type: "bearer" }),
  "/html-502/token": (_req, _body, res) => {
    res.writeHead(502, { "content-type": "text/html" });
    res.end("<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>");
  },
  "/redirect/token": (_req, _body, res) => {
    res.writeHead(302, { location: "https://login.example.com/" });
    res.end();
  },
  "/huge/token": (_req, _body, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(`{"access_token":"${"x".repeat(6 * 1024 * 1024)}","token_type":"Bearer"}`);
  },
  "/no-token/token": (_req, _body, res) => json(res, 200, { token_type: "Bearer", expires_in: 3600 }),
  "/silent/token": () => {
    /* never answers */
  },
  "/echo/token": (_req, _body, res) => json(res, 200, TOKEN),
  "/.well-known/oauth-authorization-server/mismatch": (_req, _body, res, base) => json(res, 200, { issuer: `${base}/someone-else`, token_endpoint: `${base}/echo/token` }),
  "/.well-known/oauth-authorization-server/slash": (_req, _body, res, base) => json(res, 200, { issuer: `${base}/slash/`, token_endpoint: `${base}/echo/token` }),
  // A discovery document that moved to another origin (a redirect discovery must not follow).
  "/moved/.well-known/openid-configuration": (_req, _body, res) => {
    res.writeHead(301, { location: "https://id.example.net/o/.well-known/openid-configuration/" });
    res.end();
  },
  "/oidc-only/.well-known/openid-configuration": (_req, _body, res, base) =>
    json(res, 200, { issuer: `${base}/oidc-only`, token_endpoint: `${base}/echo/token`, token_endpoint_auth_methods_supported: ["client_secret_post"] }),
};

for (const [code, status] of Object.entries(SEED_002)) {
  ROUTES[`/seed002/${code}/token`] = (_req, _body, res) => json(res, status, { error: code, error_description: `seed 002 says ${code}`, error_uri: "" });
}

export async function startSeedServer(): Promise<SeedServer> {
  const requests: SeedServer["requests"] = [];
  let base = "";
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      const route = ROUTES[(req.url ?? "").split("?")[0]!];
      if (route) route(req, body, res, base);
      else json(res, 404, { error: "not_found" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
