import { describe, expect, it } from "vitest";
import { OAuthServerError, ProtocolError } from "../../src/errors/cli-error.js";
import type { HttpExchange } from "../../src/http/types.js";
import { recordedExchange } from "../support/exchange.js";
import { parseParResponse, pushedAuthorizationUrl, pushedRequestOf } from "../../src/oauth/par.js";

function answer(status: number, body: string): HttpExchange {
  return recordedExchange("https://as.example/par", status, body);
}

describe("PAR (RFC 9126)", () => {
  it("the pushed body has the authorization request's parameters, not client_id nor the endpoint's own query; repeats kept", () => {
    const pushed = pushedRequestOf(
      "https://as.example/auth?tenant=x&response_type=code&client_id=app&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&scope=openid&state=s&resource=a&resource=b",
      "https://as.example/auth?tenant=x",
    );
    expect(pushed.fields).toEqual({ response_type: "code", redirect_uri: "http://127.0.0.1/cb", state: "s", resource: "a" });
    expect(pushed.repeated).toEqual([["resource", "b"]]);
    expect(pushed.scope).toBe("openid");
  });

  it("the browser URL: the endpoint's query kept, then only client_id and request_uri (§4)", () => {
    const url = new URL(pushedAuthorizationUrl("https://as.example/auth?tenant=x", "app", "urn:ietf:params:oauth:request_uri:abc"));
    expect([...url.searchParams]).toEqual([["tenant", "x"], ["client_id", "app"], ["request_uri", "urn:ietf:params:oauth:request_uri:abc"]]);
  });

  it("a 201 answer gives request_uri and expires_in; each bad field is named (§2.2)", () => {
    expect(parseParResponse(answer(201, '{"request_uri":"urn:x","expires_in":60}'))).toEqual({ request_uri: "urn:x", expires_in: 60 });
    expect(() => parseParResponse(answer(201, '{"expires_in":60}'))).toThrow(/"request_uri" is missing/);
    expect(() => parseParResponse(answer(201, '{"request_uri":"urn:x"}'))).toThrow(/"expires_in" is missing/);
    expect(() => parseParResponse(answer(201, "<html>"))).toThrow(ProtocolError);
  });

  it("an error body is the server's OAuth error (§2.3)", () => {
    expect(() => parseParResponse(answer(400, '{"error":"invalid_request","error_description":"bad"}'))).toThrow(OAuthServerError);
    expect(() => parseParResponse(answer(405, ""))).toThrow(/failed without an OAuth error body/);
  });
});
