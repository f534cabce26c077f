import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A provider that behaves as the JSON-only provider's documentation (../shared/seeds/003_*.txt)
 * describes, for the whole authorization code flow: an authorization endpoint with a consent page,
 * and a token endpoint that takes JSON only and requires client_id, client_secret, grant_type and
 * scope in the body for every grant. Its error strings are the documented ones, verbatim.
 * A small server of our own because no real server we can run has these rules (oidc-provider
 * reads no scope on a code exchange and answers differently).
 */
export interface JsonOnlyProvider {
  readonly origin: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly client: { readonly id: string; readonly secret: string };
  /** Every authorization request's query and every token request's parsed JSON body, in order. */
  readonly authorizationRequests: URLSearchParams[];
  readonly tokenRequests: Record<string, unknown>[];
  close(): Promise<void>;
}

const CLIENT = { id: "business-app", secret: "business-app-secret" } as const;
const SCOPE = "business_connect";

interface Code {
  readonly redirectUri: string;
  readonly challenge: string;
  used: boolean;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function redirectError(res: ServerResponse, redirectUri: string, state: string | null, error: string, description: string): void {
  const target = new URL(redirectUri);
  target.searchParams.set("error", error);
  target.searchParams.set("error_description", description);
  if (state !== null) target.searchParams.set("state", state);
  res.writeHead(302, { location: target.href });
  res.end();
}

export async function startJsonOnlyProvider(): Promise<JsonOnlyProvider> {
  const codes = new Map<string, Code>();
  const refreshTokens = new Set<string>();
  const authorizationRequests: URLSearchParams[] = [];
  const tokenRequests: Record<string, unknown>[] = [];

  function authorize(url: URL, res: ServerResponse): void {
    const q = url.searchParams;
    authorizationRequests.push(new URLSearchParams(q));
    const clientId = q.get("client_id");
    const redirectUri = q.get("redirect_uri");
    // Client and redirect URI problems are shown here, never sent to an unchecked redirect URI.
    const page = (status: number, text: string) => {
      res.writeHead(status, { "content-type": "text/html" });
      res.end(`<!doctype html><title>Error</title><p>${text}</p>`);
    };
    if (!clientId) return page(400, "invalid_request: client_id must not be empty string");
    if (clientId !== CLIENT.id) return page(400, "invalid_request: client_id does not match a registered OAuth app");
    if (!redirectUri) return page(400, "invalid_request: redirect_uri must not be empty string");
    let target: URL;
    try {
      target = new URL(redirectUri);
    } catch {
      return page(400, "invalid_request: redirect_uri is not valid");
    }
    if (target.hostname === "localhost") return page(400, "invalid_request: localhost is not allowed for redirect_uri. Use the IP literal (127.0.0.1) instead");
    if (target.hostname !== "127.0.0.1" || target.pathname !== "/callback") return page(400, "invalid_request: redirect_uri does not match one of the registered redirect_uri on OAuth app");
    const state = q.get("state");
    if (q.get("response_type") !== "code") return redirectError(res, redirectUri, state, "unsupported_response_type", "response_type must be code");
    if (q.get("code_challenge_method") !== "S256" || !q.get("code_challenge")) return redirectError(res, redirectUri, state, "invalid_request", "code_challenge_method must be S256");
    const scope = q.get("scope");
    if (scope === "") return redirectError(res, redirectUri, state, "invalid_request", "scope must not be empty string");
    if (scope !== SCOPE) return redirectError(res, redirectUri, state, "invalid_scope", "scope is not valid");
    res.writeHead(200, { "content-type": "text/html" });
    res.end(
      `<!doctype html><title>Allow access</title><h1>Allow ${clientId} to connect to your business?</h1>` +
        `<form method="post" action="/authorize/consent">` +
        `<input type="hidden" name="query" value="${encodeURIComponent(q.toString())}">` +
        `<button type="submit">Allow</button></form>`,
    );
  }

  function consent(body: string, res: ServerResponse): void {
    const q = new URLSearchParams(decodeURIComponent(new URLSearchParams(body).get("query") ?? ""));
    const code = randomBytes(16).toString("hex");
    codes.set(code, { redirectUri: q.get("redirect_uri")!, challenge: q.get("code_challenge")!, used: false });
    const target = new URL(q.get("redirect_uri")!);
    target.searchParams.set("code", code);
    if (q.get("state") !== null) target.searchParams.set("state", q.get("state")!);
    res.writeHead(302, { location: target.href });
    res.end();
  }

  function token(req: IncomingMessage, body: string, res: ServerResponse): void {
    if (body === "") return json(res, 400, { error: "invalid_request", error_description: "POST body is empty." });
    if (!/^application\/json\b/.test(req.headers["content-type"] ?? "")) return json(res, 400, { error: "invalid_request", error_description: "Unsupported Media Type for POST body. Must be json." });
    let fields: Record<string, unknown>;
    try {
      fields = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return json(res, 400, { error: "invalid_request", error_description: "bad request" });
    }
    tokenRequests.push(fields);
    const { client_id, client_secret, grant_type, scope } = fields;
    if (!client_id || !client_secret || !grant_type || !scope) {
      return json(res, 400, { error: "invalid_request", error_description: "Missing fields in POST body client_id, client_secret, grant_type and scope required." });
    }
    if (scope !== SCOPE) return json(res, 400, { error: "invalid_scope", error_description: `scope is invalid. Accepted values: ${SCOPE}` });
    if (client_id !== CLIENT.id || client_secret !== CLIENT.secret) return json(res, 401, { error: "invalid_client", error_description: "Invalid client_id or client_secret" });
    if (grant_type === "authorization_code") {
      for (const name of ["code", "redirect_uri", "code_verifier"]) {
        if (!fields[name]) return json(res, 400, { error: "invalid_request", error_description: `OAuth 2.0 Parameter: ${name} missing` });
      }
      const code = codes.get(String(fields.code));
      const challenge = createHash("sha256").update(String(fields.code_verifier)).digest("base64url");
      if (!code || code.used || code.redirectUri !== fields.redirect_uri || code.challenge !== challenge) {
        return json(res, 400, { error: "invalid_grant", error_description: "Invalid authorization code" });
      }
      code.used = true;
    } else if (grant_type === "refresh_token") {
      if (!refreshTokens.delete(String(fields.refresh_token))) return json(res, 400, { error: "invalid_grant", error_description: "Invalid refresh_token" });
    } else if (grant_type !== "client_credentials") {
      return json(res, 400, { error: "invalid_grant", error_description: "grant_type is invalid. Accepted values: refresh_token, client_credentials, authorization_code" });
    }
    const refresh = randomBytes(16).toString("hex");
    refreshTokens.add(refresh);
    json(res, 200, { access_token: randomBytes(16).toString("hex"), token_type: "Bearer", expires_in: 3600, refresh_token: refresh, scope: SCOPE });
  }

  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      if (req.method === "GET" && url.pathname === "/authorize") authorize(url, res);
      else if (req.method === "POST" && url.pathname === "/authorize/consent") consent(body, res);
      else if (req.method === "POST" && url.pathname === "/token") token(req, body, res);
      else json(res, 404, { error: "404 Not Found", error_description: "invalid_request" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    authorizationEndpoint: `${origin}/authorize`,
    tokenEndpoint: `${origin}/token`,
    client: CLIENT,
    authorizationRequests,
    tokenRequests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
