import { describe, expect, it } from "vitest";
import { ProtocolError } from "../../src/errors/cli-error.js";
import type { HttpExchange } from "../../src/http/types.js";
import { discoverWithSource, issuerOfDiscoveryUrl, MetadataNotFoundError } from "../../src/oauth/discovery.js";
import { isOpenIdProvider } from "../../src/commands/authorize/prompt.js";

// Discovery's parsing and redirect policy, with hand-built answers and no network (the real 301 of
// Django OAuth Toolkit is in test/diagnosis/dot-discovery.test.ts).
type Answer = { status: number; location?: string; body?: unknown };

function fetcher(answers: Record<string, Answer>): { fetch: (url: string) => Promise<HttpExchange>; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    fetch: async (url) => {
      asked.push(url);
      const a = answers[url] ?? { status: 404 };
      return {
        request: { method: "GET", url, headers: {}, body: "" },
        response: {
          status: a.status,
          statusText: "",
          headers: { ...(a.location ? { location: a.location } : {}), "content-type": "application/json" },
          body: a.body === undefined ? "" : JSON.stringify(a.body),
        },
        startedAt: 0,
        durationMs: 1,
      } as unknown as HttpExchange;
    },
  };
}

const ISSUER = "https://id.example.com/o";
const OIDC = "https://id.example.com/o/.well-known/openid-configuration";

describe("discovery redirects", () => {
  it("follows a same-origin redirect (Django's trailing slash), says so, and knows it was the OpenID document", async () => {
    const { fetch, asked } = fetcher({
      [OIDC]: { status: 301, location: "/o/.well-known/openid-configuration/" },
      [`${OIDC}/`]: { status: 200, body: { issuer: ISSUER, token_endpoint: `${ISSUER}/token/` } },
    });
    const notes: string[] = [];
    const found = await discoverWithSource(ISSUER, fetch, { note: (m) => notes.push(m) });
    expect(found.metadata.token_endpoint).toBe(`${ISSUER}/token/`);
    expect(found.url).toBe(`${OIDC}/`);
    expect(found.openIdConfiguration).toBe(true);
    expect(asked).toEqual(["https://id.example.com/.well-known/oauth-authorization-server/o", OIDC, `${OIDC}/`]);
    expect(notes).toEqual([`discovery: ${OIDC} redirected (HTTP 301) to ${OIDC}/ on the same origin; followed it`]);
  });

  it("never follows a redirect to another origin: names the Location and the issuer that reaches it", async () => {
    const { fetch, asked } = fetcher({ [OIDC]: { status: 302, location: "https://login.other.example/tenant/.well-known/openid-configuration" } });
    const error = await discoverWithSource(ISSUER, fetch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).message).toBe(`discovery: ${OIDC} answered HTTP 302 with Location: https://login.other.example/tenant/.well-known/openid-configuration (another origin; not followed)`);
    expect((error as ProtocolError).hint).toBe("If you trust that server, use the issuer https://login.other.example/tenant");
    expect(asked.some((u) => u.startsWith("https://login.other.example"))).toBe(false);
  });

  it("stops a same-origin redirect loop and reports where it went", async () => {
    const { fetch, asked } = fetcher({ [OIDC]: { status: 301, location: OIDC } });
    const error = await discoverWithSource(ISSUER, fetch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MetadataNotFoundError);
    expect((error as MetadataNotFoundError).details.join("\n")).toContain(`${OIDC} → HTTP 301 (Location: ${OIDC})`);
    expect(asked.filter((u) => u === OIDC).length).toBe(4);
  });

  it("maps a discovery URL back to its issuer", () => {
    expect(issuerOfDiscoveryUrl("https://a.example/t/.well-known/openid-configuration/")).toBe("https://a.example/t");
    expect(issuerOfDiscoveryUrl("https://a.example/.well-known/openid-configuration")).toBe("https://a.example");
    expect(issuerOfDiscoveryUrl("https://a.example/.well-known/oauth-authorization-server/t")).toBe("https://a.example/t");
    expect(issuerOfDiscoveryUrl("https://a.example/login")).toBeUndefined();
  });
});

describe("is the server an OpenID provider (for the default scope)", () => {
  const base = { issuer: ISSUER };
  it.each([
    ["scopes_supported lists openid", { metadata: { ...base, scopes_supported: ["openid", "email"] } }, true],
    ["scopes_supported leaves openid out, even at the OpenID URL", { metadata: { ...base, scopes_supported: ["read"] }, openIdConfiguration: true }, false],
    ["no scopes_supported, found at the OpenID URL", { metadata: base, openIdConfiguration: true }, true],
    ["no scopes_supported, userinfo_endpoint", { metadata: { ...base, userinfo_endpoint: `${ISSUER}/userinfo` } }, true],
    ["no scopes_supported, id_token_signing_alg_values_supported", { metadata: { ...base, id_token_signing_alg_values_supported: ["RS256"] } }, true],
    ["plain RFC 8414 metadata", { metadata: base, openIdConfiguration: false }, false],
    ["no metadata at all", { metadata: undefined }, false],
  ])("%s", (_name, endpoints, expected) => {
    expect(isOpenIdProvider(endpoints)).toBe(expected);
  });
});
