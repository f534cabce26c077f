import { describe, expect, it } from "vitest";
import { ExitCode, OAuthServerError } from "../../src/errors/cli-error.js";
import type { HttpExchange } from "../../src/http/types.js";
import { recordedExchange, thrown } from "../support/exchange.js";
import { bearerChallengeError } from "../../src/oauth/bearer.js";
import { buildTokenManagementRequest, parseIntrospectionResponse, parseRevocationResponse } from "../../src/oauth/token-management.js";
import { parseUserinfoResponse } from "../../src/oauth/userinfo.js";

/** A hand-built exchange: the parsers are pure, no network needed. */
function answer(status: number, body: string, headers: Record<string, string> = { "content-type": "application/json" }): HttpExchange {
  return recordedExchange("https://id.example.com/x", status, body, { headers });
}

describe("token introspection and revocation requests (RFC 7662 §2.1, RFC 7009 §2.1)", () => {
  it("form-encodes token and hint, authenticating the client with HTTP Basic as at the token endpoint", () => {
    const request = buildTokenManagementRequest({ endpoint: "https://id.example.com/introspect", token: "a b+c", tokenTypeHint: "access_token", clientId: "api", clientSecret: "s3cret", authMethod: "client_secret_basic" });
    expect(request).toMatchObject({ method: "POST", url: "https://id.example.com/introspect", body: "token=a+b%2Bc&token_type_hint=access_token" });
    expect(request.headers.Authorization).toBe(`Basic ${Buffer.from("api:s3cret").toString("base64")}`);
    expect(request.headers["Content-Type"]).toBe("application/x-www-form-urlencoded");
  });
  it("a public client names itself in the body", () => {
    expect(buildTokenManagementRequest({ endpoint: "https://x/r", token: "t", clientId: "pub", authMethod: "none" }).body).toBe("token=t&client_id=pub");
  });
});

describe("parseIntrospectionResponse (RFC 7662 §2.2)", () => {
  it("keeps every field as sent", () => {
    expect(parseIntrospectionResponse(answer(200, '{"active":true,"scope":"a b","exp":1700000000,"ext":{"x":1}}'))).toEqual({ active: true, scope: "a b", exp: 1700000000, ext: { x: 1 } });
  });
  it.each([
    ['{"scope":"a"}', /"active" is missing/],
    ['{"active":"true"}', /"active" must be a boolean, got "true"/],
    ['{"active":true,"exp":"soon"}', /"exp" must be a number of seconds/],
    ["[]", /did not send a JSON object/],
    ["<html>", /did not send JSON/],
  ])("%s is a protocol violation naming the field (exit 4)", (body, message) => {
    const error = thrown(() => parseIntrospectionResponse(answer(200, body)));
    expect(error.message).toMatch(message);
    expect(error.exitCode).toBe(ExitCode.protocol);
  });
  it("an error body is an OAuth error (exit 1); an error status without one is a protocol violation", () => {
    const error = thrown(() => parseIntrospectionResponse(answer(401, '{"error":"invalid_client"}')));
    expect(error).toBeInstanceOf(OAuthServerError);
    expect((error as OAuthServerError).report.error).toBe("invalid_client");
    expect(thrown(() => parseIntrospectionResponse(answer(502, "bad gateway", { "content-type": "text/plain" }))).exitCode).toBe(ExitCode.protocol);
  });
});

describe("parseRevocationResponse (RFC 7009 §2.2)", () => {
  it("200 is success whatever the body", () => {
    expect(parseRevocationResponse(answer(200, ""))).toEqual({ status: 200 });
  });
  it("503 asks to retry later: exit 3, with Retry-After", () => {
    const error = thrown(() => parseRevocationResponse(answer(503, "", { "retry-after": "30" })));
    expect(error.exitCode).toBe(ExitCode.network);
    expect(error.message).toContain("Retry-After: 30");
  });
  it("unsupported_token_type is an OAuth error", () => {
    expect((thrown(() => parseRevocationResponse(answer(400, '{"error":"unsupported_token_type"}'))) as OAuthServerError).report.error).toBe("unsupported_token_type");
  });
});

describe("a protected resource's refusal (RFC 6750 §3)", () => {
  it("reads error and scope from the Bearer challenge, with the status", () => {
    const exchange = answer(403, "", { "www-authenticate": 'Bearer realm="api", error="insufficient_scope", scope="api:write", error_description="needs write"' });
    const error = bearerChallengeError(exchange, exchange.response!)!;
    expect(error.report).toMatchObject({ error: "insufficient_scope", error_description: "needs write", http: { status: 403 } });
    expect(error.details).toEqual(["  the resource asks for scope: api:write"]);
  });
  it("with a DPoP and a Bearer challenge, the one with an error speaks", () => {
    const exchange = answer(401, "", { "www-authenticate": 'DPoP algs="ES256", Bearer error="invalid_token"' });
    expect(bearerChallengeError(exchange, exchange.response!)!.report.error).toBe("invalid_token");
  });
  it("no challenge, or not a 401/403: nothing to explain from it", () => {
    const plain = answer(401, "");
    expect(bearerChallengeError(plain, plain.response!)).toBeUndefined();
    const notFound = answer(404, "", { "www-authenticate": 'Bearer error="invalid_token"' });
    expect(bearerChallengeError(notFound, notFound.response!)).toBeUndefined();
  });
  it("userinfo without sub is a protocol violation (OpenID Connect Core §5.3.2)", () => {
    expect(thrown(() => parseUserinfoResponse(answer(200, '{"name":"x"}'))).message).toContain('"sub" is missing');
  });
});
