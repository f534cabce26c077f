import { createHash, randomBytes } from "node:crypto";
import { startSandbox, type Sandbox, type SandboxOptions } from "../../src/sandbox/server.js";

export type { Sandbox, SandboxOptions } from "../../src/sandbox/server.js";

export const BASIC = { id: "sandbox-basic", secret: "sandbox-basic-secret" } as const;
export const POST = { id: "sandbox-post", secret: "sandbox-post-secret" } as const;
export const PUBLIC = { id: "sandbox-public" } as const;

/** The project's one test authorization server: a real oidc-provider on an ephemeral loopback port. */
export function startTestProvider(opts: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ port: 0, ...opts });
}

export function basicAuth(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;
}

/** RFC 7662 introspection as sandbox-basic; `active: true` proves a token is live. */
export async function introspect(sandbox: Sandbox, token: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${sandbox.issuer}/token/introspection`, {
    method: "POST",
    headers: { authorization: basicAuth(BASIC.id, BASIC.secret), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token }).toString(),
  });
  if (!res.ok) throw new Error(`introspection answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** The userinfo response for an access token; throws with the status and body when refused. */
export async function userinfo(sandbox: Sandbox, accessToken: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${sandbox.issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
  if (!res.ok) throw new Error(`userinfo answered ${res.status}: ${res.headers.get("www-authenticate") ?? ""} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

export interface TokenCall {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** POST to the token endpoint, form-encoded unless `json` is set. Independent of the CLI's client. */
export async function tokenRequest(
  sandbox: Sandbox,
  params: Record<string, string>,
  opts: { basic?: { id: string; secret: string }; json?: boolean } = {},
): Promise<TokenCall> {
  const headers: Record<string, string> = {
    "content-type": opts.json ? "application/json" : "application/x-www-form-urlencoded",
  };
  if (opts.basic) headers.authorization = basicAuth(opts.basic.id, opts.basic.secret);
  const res = await fetch(`${sandbox.issuer}/token`, {
    method: "POST",
    headers,
    body: opts.json ? JSON.stringify(params) : new URLSearchParams(params).toString(),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

/** A fresh S256 PKCE pair (RFC 7636 §4.1–4.2). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** An authorization URL for the sandbox's public client with PKCE. */
export function authorizationUrl(
  sandbox: Sandbox,
  opts: { clientId?: string; redirectUri: string; scope?: string; challenge?: string; state?: string },
): string {
  const url = new URL(`${sandbox.issuer}/auth`);
  url.searchParams.set("client_id", opts.clientId ?? PUBLIC.id);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("redirect_uri", opts.redirectUri);
  url.searchParams.set("scope", opts.scope ?? "openid profile email");
  url.searchParams.set("state", opts.state ?? randomBytes(8).toString("hex"));
  if (opts.challenge) {
    url.searchParams.set("code_challenge", opts.challenge);
    url.searchParams.set("code_challenge_method", "S256");
  }
  return url.href;
}
