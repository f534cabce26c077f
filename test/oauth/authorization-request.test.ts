import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors/cli-error.js";
import { buildAuthorizationUrl } from "../../src/oauth/authorization-request.js";
import { ReservedParameterError } from "../../src/oauth/parameter-error.js";

const base = {
  authorizationEndpoint: "https://id.example.com/authorize",
  clientId: "app",
  redirectUri: "http://127.0.0.1:49152/callback",
  state: "s-1",
  pkce: { method: "S256" as const, verifier: "v".repeat(43), challenge: "c".repeat(43) },
};

describe("buildAuthorizationUrl (RFC 6749 §4.1.1, RFC 7636 §4.3)", () => {
  it("sets response_type=code, client_id, redirect_uri, scope, state and the S256 challenge, and never the verifier", () => {
    const url = new URL(buildAuthorizationUrl({ ...base, scope: "openid profile", prompt: "consent", loginHint: "a@b.c", responseMode: "form_post", params: [["resource", "https://api"], ["resource", "https://api2"]] }));
    const q = url.searchParams;
    expect(url.origin + url.pathname).toBe("https://id.example.com/authorize");
    expect(q.get("response_type")).toBe("code");
    expect(q.get("client_id")).toBe("app");
    expect(q.get("redirect_uri")).toBe("http://127.0.0.1:49152/callback");
    expect(q.get("scope")).toBe("openid profile");
    expect(q.get("state")).toBe("s-1");
    expect(q.get("code_challenge")).toBe("c".repeat(43));
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("prompt")).toBe("consent");
    expect(q.get("login_hint")).toBe("a@b.c");
    expect(q.get("response_mode")).toBe("form_post");
    expect(q.getAll("resource")).toEqual(["https://api", "https://api2"]);
    expect(url.href).not.toContain("v".repeat(43));
    expect(url.href).toContain("scope=openid+profile");
  });

  it("keeps the endpoint's own query (RFC 6749 §3.1)", () => {
    const url = new URL(buildAuthorizationUrl({ ...base, authorizationEndpoint: "https://login.example.com/oauth2/authorize?p=B2C_1_signin" }));
    expect(url.searchParams.get("p")).toBe("B2C_1_signin");
    expect(url.searchParams.get("client_id")).toBe("app");
  });

  it("sends no challenge with --pkce none, and no scope when none is given", () => {
    const url = new URL(buildAuthorizationUrl({ ...base, pkce: { method: "none" } }));
    expect(url.searchParams.has("code_challenge")).toBe(false);
    expect(url.searchParams.has("code_challenge_method")).toBe(false);
    expect(url.searchParams.has("scope")).toBe(false);
  });

  it("refuses an extra parameter it sets itself, naming the parameter (the command names the flag)", () => {
    expect(() => buildAuthorizationUrl({ ...base, params: [["redirect_uri", "x"]] })).toThrow(UsageError);
    expect(() => buildAuthorizationUrl({ ...base, params: [["code_challenge_method", "plain"]] })).toThrow(ReservedParameterError);
    expect(() => buildAuthorizationUrl({ ...base, params: [["code_challenge_method", "plain"]] })).toThrow(/^code_challenge_method: .* set by the authorization request itself/);
    expect(() => buildAuthorizationUrl({ ...base, params: [["code_challenge_method", "plain"]] })).not.toThrow(/--/);
  });
});
