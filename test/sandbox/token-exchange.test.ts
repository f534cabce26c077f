import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { peekJwt } from "../../src/output/format.js";
import { introspect, startTestProvider, tokenRequest, type Sandbox } from "../support/provider.js";

// The sandbox's RFC 8693 grant and RFC 8707 resource indicators, on the real oidc-provider.
const EXCHANGE = { id: "sandbox-exchange", secret: "sandbox-exchange-secret" } as const;
const GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
const AT = "urn:ietf:params:oauth:token-type:access_token";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestProvider();
});
afterAll(async () => sandbox?.close());

async function subjectToken(): Promise<string> {
  const call = await tokenRequest(sandbox, { grant_type: "client_credentials", scope: "api:read" }, { basic: EXCHANGE });
  expect(call.status).toBe(200);
  return call.body.access_token as string;
}

describe("sandbox token exchange (RFC 8693) and resource indicators (RFC 8707)", () => {
  it("client credentials with a resource give a JWT whose aud is the resource", async () => {
    const call = await tokenRequest(sandbox, { grant_type: "client_credentials", scope: "api:read", resource: "https://api.sandbox.test" }, { basic: EXCHANGE });
    expect(call.status).toBe(200);
    expect(peekJwt(call.body.access_token as string)).toMatchObject({ aud: "https://api.sandbox.test", scope: "api:read" });
  });

  it("an unknown resource is invalid_target", async () => {
    const call = await tokenRequest(sandbox, { grant_type: "client_credentials", resource: "https://nowhere.test" }, { basic: EXCHANGE });
    expect(call.status).toBe(400);
    expect(call.body.error).toBe("invalid_target");
  });

  it("exchanges a live access token for one with the requested audience", async () => {
    const subject = await subjectToken();
    const call = await tokenRequest(sandbox, { grant_type: GRANT, subject_token: subject, subject_token_type: AT, audience: "https://other-api.sandbox.test" }, { basic: EXCHANGE });
    expect(call.body).toMatchObject({ issued_token_type: AT, token_type: "Bearer", scope: "api:read" });
    expect(peekJwt(call.body.access_token as string)).toMatchObject({ aud: "https://other-api.sandbox.test" });
  });

  it("without a target, an opaque token the server knows", async () => {
    const subject = await subjectToken();
    const call = await tokenRequest(sandbox, { grant_type: GRANT, subject_token: subject, subject_token_type: AT }, { basic: EXCHANGE });
    expect(call.status).toBe(200);
    expect(await introspect(sandbox, call.body.access_token as string)).toMatchObject({ active: true, client_id: EXCHANGE.id });
  });

  it("refuses a subject token it never issued", async () => {
    const call = await tokenRequest(sandbox, { grant_type: GRANT, subject_token: "made-up", subject_token_type: AT }, { basic: EXCHANGE });
    expect(call.status).toBe(400);
    expect(call.body.error).toBe("invalid_grant");
  });
});
