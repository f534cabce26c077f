import { describe, expect, it } from "vitest";
import { basicAuthorization, chooseAuthMethod, formEncode } from "../../src/oauth/client-auth.js";
import { ReservedParameterError } from "../../src/oauth/parameter-error.js";
import { buildTokenRequest, TOKEN_REQUEST_PARAMETERS, tokenRequestHeaders } from "../../src/oauth/token-request.js";

describe("client authentication", () => {
  it("form-urlencodes id and secret before base64 (RFC 6749 §2.3.1)", () => {
    const header = basicAuthorization("my app:1", "p@ss word/+=");
    const decoded = Buffer.from(header.replace(/^Basic /, ""), "base64").toString();
    expect(decoded).toBe("my+app%3A1:p%40ss+word%2F%2B%3D");
  });

  it("encodes the characters encodeURIComponent leaves alone", () => {
    expect(formEncode("a!b'c(d)e*f~g")).toBe("a%21b%27c%28d%29e%2Af~g");
  });

  it("defaults to basic with a secret, none without, and follows discovery's first usable method", () => {
    expect(chooseAuthMethod(true)).toBe("client_secret_basic");
    expect(chooseAuthMethod(false, ["client_secret_basic"])).toBe("none");
    expect(chooseAuthMethod(true, ["private_key_jwt", "client_secret_post", "client_secret_basic"])).toBe("client_secret_post");
  });
});

describe("buildTokenRequest", () => {
  const base = { tokenEndpoint: "https://as.example/token", clientId: "app", clientSecret: "s3cret" } as const;

  it("puts client credentials in the Authorization header for client_secret_basic", () => {
    const req = buildTokenRequest({ ...base, grant: { grant_type: "client_credentials" }, authMethod: "client_secret_basic", bodyFormat: "form", scope: "a b" });
    expect(req.method).toBe("POST");
    expect(req.headers.Authorization).toBe(basicAuthorization("app", "s3cret"));
    expect(req.headers["Content-Type"]).toBe("application/x-www-form-urlencoded");
    expect(req.body).toBe("grant_type=client_credentials&scope=a+b");
  });

  it("puts them in the body for client_secret_post, and only the id for none", () => {
    const post = buildTokenRequest({ ...base, grant: { grant_type: "refresh_token", refresh_token: "rt" }, authMethod: "client_secret_post", bodyFormat: "form" });
    expect(new URLSearchParams(post.body).get("client_secret")).toBe("s3cret");
    expect(post.headers.Authorization).toBeUndefined();
    const none = buildTokenRequest({ ...base, grant: { grant_type: "refresh_token", refresh_token: "rt" }, authMethod: "none", bodyFormat: "form" });
    expect(new URLSearchParams(none.body).get("client_id")).toBe("app");
    expect(new URLSearchParams(none.body).has("client_secret")).toBe(false);
  });

  it("sends a JSON body when asked (seed 003: 'Must be json'), keeping repeated params as arrays", () => {
    const req = buildTokenRequest({
      ...base,
      grant: { grant_type: "client_credentials" },
      authMethod: "client_secret_post",
      bodyFormat: "json",
      params: [["resource", "https://a"], ["resource", "https://b"], ["audience", "api"]],
    });
    expect(req.headers["Content-Type"]).toBe("application/json");
    expect(JSON.parse(req.body!)).toEqual({ grant_type: "client_credentials", resource: ["https://a", "https://b"], audience: "api", client_id: "app", client_secret: "s3cret" });
  });

  it("adds extra headers last, so they can override ours", () => {
    const req = buildTokenRequest({ ...base, grant: { grant_type: "client_credentials" }, authMethod: "none", bodyFormat: "form", headers: [["Accept", "application/x-www-form-urlencoded"], ["X-Tenant", "t1"]] });
    expect(req.headers.Accept).toBe("application/x-www-form-urlencoded");
    expect(req.headers["X-Tenant"]).toBe("t1");
  });

  it("an extra header replaces ours whatever its letter case: never two Accept headers", () => {
    const req = buildTokenRequest({ ...base, grant: { grant_type: "client_credentials" }, authMethod: "none", bodyFormat: "form", headers: [["accept", "text/plain"]] });
    expect(Object.entries(req.headers).filter(([name]) => name.toLowerCase() === "accept")).toEqual([["accept", "text/plain"]]);
  });

  it("refuses an extra parameter it sets itself (RFC 6749 §3.2: never twice), naming it", () => {
    for (const name of TOKEN_REQUEST_PARAMETERS) {
      const build = () => buildTokenRequest({ ...base, grant: { grant_type: "client_credentials" }, authMethod: "none", bodyFormat: "form", params: [[name, "x"]] });
      expect(build).toThrow(ReservedParameterError);
      expect(build).toThrow(`${name}: ${name} is set by the token request itself`);
    }
    // Every parameter a request of ours can carry is in the list.
    const req = buildTokenRequest({
      ...base,
      grant: { grant_type: "authorization_code", code: "c", redirect_uri: "r", code_verifier: "v", refresh_token: "t" },
      authMethod: "client_secret_post",
      bodyFormat: "form",
      scope: "a",
    });
    expect([...new URLSearchParams(req.body).keys()].filter((name) => !TOKEN_REQUEST_PARAMETERS.includes(name))).toEqual([]);
  });

  it("names the headers it sets itself: Authorization only when the secret goes in it", () => {
    expect(tokenRequestHeaders("client_secret_basic")).toContain("Authorization");
    expect(tokenRequestHeaders("client_secret_post")).not.toContain("Authorization");
    expect(tokenRequestHeaders("none")).toEqual(["Content-Type", "Content-Length"]);
  });
});
