import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { movableClock } from "../support/clock.js";
import { completeLoginHttp } from "../support/login.js";
import {
  BASIC, POST, PUBLIC, authorizationUrl, introspect, pkcePair, startTestProvider, tokenRequest, userinfo,
  type Sandbox,
} from "../support/provider.js";
import { makeTempDir } from "../support/temp.js";

const REDIRECT = "http://127.0.0.1:49152/callback";

/** Logs in over HTTP and redeems the code as sandbox-public: the whole code + PKCE flow. */
async function codeFlow(sandbox: Sandbox, redirectUri = REDIRECT) {
  const { verifier, challenge } = pkcePair();
  const callback = new URL(await completeLoginHttp(authorizationUrl(sandbox, { redirectUri, challenge }), { user: "alice" }));
  const code = callback.searchParams.get("code");
  expect(code, callback.href).toBeTruthy();
  const token = await tokenRequest(sandbox, {
    grant_type: "authorization_code", code: code!, redirect_uri: redirectUri, client_id: PUBLIC.id, code_verifier: verifier,
  });
  return { callback, token, code: code!, verifier };
}

describe("sandbox (default options)", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startTestProvider();
  });
  afterAll(() => sandbox.close());

  it("publishes discovery with an exact issuer and RFC 9207 support", async () => {
    const res = await fetch(`${sandbox.issuer}/.well-known/openid-configuration`);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(sandbox.issuer).toBe(`http://127.0.0.1:${sandbox.port}`);
    expect(doc.issuer).toBe(sandbox.issuer);
    expect(doc.authorization_response_iss_parameter_supported).toBe(true);
    expect(doc.token_endpoint).toBe(`${sandbox.issuer}/token`);
    expect(doc.introspection_endpoint).toBe(`${sandbox.issuer}/token/introspection`);
    expect(doc.revocation_endpoint).toBe(`${sandbox.issuer}/token/revocation`);
    expect(doc.userinfo_endpoint).toBe(`${sandbox.issuer}/me`);
    expect(doc.code_challenge_methods_supported).toEqual(["S256"]);
    expect(doc.grant_types_supported).toEqual(expect.arrayContaining(["authorization_code", "refresh_token", "client_credentials"]));
    expect(doc.scopes_supported).toEqual(expect.arrayContaining(["openid", "profile", "email", "offline_access", "api:read", "api:write"]));
    expect(sandbox.clients.map((c) => c.client_id)).toEqual(["sandbox-public", "sandbox-basic", "sandbox-post", "sandbox-jwt-secret", "sandbox-device", "sandbox-dpop", "sandbox-par", "sandbox-exchange"]);
  });

  it("client_credentials works with client_secret_basic and client_secret_post", async () => {
    const basic = await tokenRequest(sandbox, { grant_type: "client_credentials", scope: "api:read" }, { basic: BASIC });
    expect(basic.status, JSON.stringify(basic.body)).toBe(200);
    expect(basic.body).toMatchObject({ token_type: "Bearer", scope: "api:read" });
    const post = await tokenRequest(sandbox, {
      grant_type: "client_credentials", scope: "api:read api:write", client_id: POST.id, client_secret: POST.secret,
    });
    expect(post.status, JSON.stringify(post.body)).toBe(200);
    for (const t of [basic, post]) {
      expect(await introspect(sandbox, t.body.access_token as string)).toMatchObject({ active: true });
    }
    const wrong = await tokenRequest(sandbox, { grant_type: "client_credentials" }, { basic: { id: BASIC.id, secret: "nope" } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe("invalid_client");
  });

  it("authorization code + PKCE gives access and refresh tokens, iss in the callback, working userinfo", async () => {
    const { callback, token } = await codeFlow(sandbox);
    expect(callback.origin + callback.pathname).toBe(REDIRECT);
    expect(callback.searchParams.get("iss")).toBe(sandbox.issuer);
    expect(token.status, JSON.stringify(token.body)).toBe(200);
    expect(token.body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    expect(typeof token.body.access_token).toBe("string");
    expect(typeof token.body.refresh_token).toBe("string");
    expect(typeof token.body.id_token).toBe("string");
    expect(await userinfo(sandbox, token.body.access_token as string)).toMatchObject({ sub: "alice", email: "alice@sandbox.test" });
  });

  it("accepts any loopback port and the /cb path, on localhost and [::1] too", async () => {
    for (const uri of ["http://127.0.0.1:61234/cb", "http://localhost:8080/callback", "http://[::1]:5555/callback"]) {
      const { token } = await codeFlow(sandbox, uri);
      expect(token.status, `${uri}: ${JSON.stringify(token.body)}`).toBe(200);
    }
  });

  it("requires PKCE for the public client", async () => {
    const url = authorizationUrl(sandbox, { redirectUri: REDIRECT });
    const res = await fetch(url, { redirect: "manual" });
    const location = new URL(res.headers.get("location") ?? "");
    expect(location.searchParams.get("error")).toBe("invalid_request");
    expect(location.searchParams.get("error_description")).toMatch(/PKCE/);
  });

  it("denying consent redirects with access_denied", async () => {
    const { challenge } = pkcePair();
    const url = new URL(await completeLoginHttp(authorizationUrl(sandbox, { redirectUri: REDIRECT, challenge }), { deny: true }));
    expect(url.searchParams.get("error")).toBe("access_denied");
  });

  it("rotates refresh tokens; replaying a used one revokes the whole grant", async () => {
    const { token } = await codeFlow(sandbox);
    const rt1 = token.body.refresh_token as string;
    const second = await tokenRequest(sandbox, { grant_type: "refresh_token", refresh_token: rt1, client_id: PUBLIC.id });
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    const rt2 = second.body.refresh_token as string;
    expect(rt2).not.toBe(rt1);
    expect(await introspect(sandbox, second.body.access_token as string)).toMatchObject({ active: true });

    const replay = await tokenRequest(sandbox, { grant_type: "refresh_token", refresh_token: rt1, client_id: PUBLIC.id });
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe("invalid_grant");
    const afterReplay = await tokenRequest(sandbox, { grant_type: "refresh_token", refresh_token: rt2, client_id: PUBLIC.id });
    expect(afterReplay.body.error).toBe("invalid_grant");
    expect(await introspect(sandbox, second.body.access_token as string)).toMatchObject({ active: false });
  });

  it("refuses a second redemption of the same code", async () => {
    const { code, verifier } = await codeFlow(sandbox);
    const again = await tokenRequest(sandbox, {
      grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: PUBLIC.id, code_verifier: verifier,
    });
    expect(again.body.error).toBe("invalid_grant");
  });
});

describe("sandbox options", () => {
  it("codeTtl=1: the code is invalid_grant after 2 s", async () => {
    const clock = movableClock();
    const sandbox = await startTestProvider({ codeTtl: 1, now: clock.now });
    try {
      const { verifier, challenge } = pkcePair();
      const callback = new URL(await completeLoginHttp(authorizationUrl(sandbox, { redirectUri: REDIRECT, challenge })));
      clock.advance(2);
      const token = await tokenRequest(sandbox, {
        grant_type: "authorization_code", code: callback.searchParams.get("code")!, redirect_uri: REDIRECT,
        client_id: PUBLIC.id, code_verifier: verifier,
      });
      expect(token.status).toBe(400);
      expect(token.body.error).toBe("invalid_grant");
      expect(token.body.error_description).toMatch(/authorization code is expired/);
    } finally {
      await sandbox.close();
    }
  });

  it("requireJsonBody refuses form bodies with seed 003's text and accepts JSON", async () => {
    const sandbox = await startTestProvider({ requireJsonBody: true });
    try {
      const form = await tokenRequest(sandbox, { grant_type: "client_credentials" }, { basic: BASIC });
      expect(form.status).toBe(415);
      expect(form.body).toEqual({ error: "invalid_request", error_description: "Unsupported Media Type for POST body. Must be json." });
      const json = await tokenRequest(
        sandbox, { grant_type: "client_credentials", client_id: POST.id, client_secret: POST.secret }, { json: true },
      );
      expect(json.status, JSON.stringify(json.body)).toBe(200);
      expect(typeof json.body.access_token).toBe("string");
    } finally {
      await sandbox.close();
    }
  });

  it("legacyEnvelope wraps success and error (seed 001)", async () => {
    const sandbox = await startTestProvider({ legacyEnvelope: true, autoLogin: "bob" });
    try {
      const url = authorizationUrl(sandbox, { clientId: BASIC.id, redirectUri: REDIRECT });
      const code = new URL((await fetch(url, { redirect: "manual" })).headers.get("location")!).searchParams.get("code")!;
      const ok = await tokenRequest(sandbox, { grant_type: "authorization_code", code, redirect_uri: REDIRECT }, { basic: BASIC });
      expect(ok.status).toBe(200);
      expect(ok.body.success).toBe(true);
      const data = ok.body.data as Record<string, string>;
      expect(data).toMatchObject({ token_type: "bearer", ttl: "3600" });
      expect(typeof data.access_token).toBe("string");
      expect(typeof data.refresh_token).toBe("string");
      expect(data.issued_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(Date.parse(data.expires_at!) - Date.parse(data.issued_at!)).toBe(3_600_000);

      const bad = await tokenRequest(sandbox, { grant_type: "refresh_token", refresh_token: "nope" }, { basic: BASIC });
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({
        success: false, errorMessage: expect.any(String), errorDetails: [expect.any(String)], errorCode: "invalid_grant",
      });
    } finally {
      await sandbox.close();
    }
  });

  it("requirePkce=false lets the public client skip PKCE; logger sees requests and provider errors", async () => {
    const lines: string[] = [];
    const sandbox = await startTestProvider({ requirePkce: false, autoLogin: "frank", logger: (l) => lines.push(l) });
    try {
      const res = await fetch(authorizationUrl(sandbox, { redirectUri: REDIRECT }), { redirect: "manual" });
      const code = new URL(res.headers.get("location")!).searchParams.get("code")!;
      const token = await tokenRequest(sandbox, { grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: PUBLIC.id });
      expect(token.status, JSON.stringify(token.body)).toBe(200);
      await tokenRequest(sandbox, { grant_type: "refresh_token", refresh_token: "nope", client_id: PUBLIC.id });
      expect(lines).toContain(`sandbox issuer ${sandbox.issuer}`);
      expect(lines.some((l) => /^POST \/token → 200 \(\d+ ms\)$/.test(l))).toBe(true);
      expect(lines.some((l) => l.startsWith("grant.error invalid_grant"))).toBe(true);
      expect(lines.join("\n")).not.toContain(code);
    } finally {
      await sandbox.close();
    }
  });

  it("arrayDescriptions sends error_description as an array", async () => {
    const sandbox = await startTestProvider({ arrayDescriptions: true });
    try {
      const bad = await tokenRequest(sandbox, { grant_type: "password" }, { basic: BASIC });
      expect(bad.body.error).toBe("unsupported_grant_type");
      expect(bad.body.error_description).toEqual([expect.any(String)]);
    } finally {
      await sandbox.close();
    }
  });

  it("clockSkew shifts the Date header and the iat/exp of issued tokens", async () => {
    const sandbox = await startTestProvider({ clockSkew: -3600 });
    try {
      const token = await tokenRequest(sandbox, { grant_type: "client_credentials" }, { basic: BASIC });
      const skew = Date.parse(token.headers.get("date")!) - Date.now();
      expect(Math.abs(skew + 3_600_000)).toBeLessThan(5_000);
      const info = await introspect(sandbox, token.body.access_token as string);
      expect(info.active).toBe(true);
      expect(Math.abs((info.iat as number) - (Date.now() / 1000 - 3600))).toBeLessThan(5);
      expect(Date.now() - Date.parse((await fetch(sandbox.issuer)).headers.get("date")!)).toBeGreaterThan(3_590_000);
    } finally {
      await sandbox.close();
    }
    // Outside the sandbox, time is real.
    expect(Math.abs(Date.now() - new Date().getTime())).toBeLessThan(1000);
  });

  it("autoLogin answers the authorization request with one redirect carrying a code", async () => {
    const sandbox = await startTestProvider({ autoLogin: "carol" });
    try {
      const { verifier, challenge } = pkcePair();
      const res = await fetch(authorizationUrl(sandbox, { redirectUri: REDIRECT, challenge, state: "s1" }), { redirect: "manual" });
      expect([302, 303]).toContain(res.status);
      const callback = new URL(res.headers.get("location")!);
      expect(callback.origin + callback.pathname).toBe(REDIRECT);
      expect(callback.searchParams.get("state")).toBe("s1");
      const token = await tokenRequest(sandbox, {
        grant_type: "authorization_code", code: callback.searchParams.get("code")!, redirect_uri: REDIRECT,
        client_id: PUBLIC.id, code_verifier: verifier,
      });
      expect(token.status, JSON.stringify(token.body)).toBe(200);
      expect(await userinfo(sandbox, token.body.access_token as string)).toMatchObject({ sub: "carol" });
    } finally {
      await sandbox.close();
    }
  });

  it("stateFile keeps a refresh token working across a restart", async () => {
    const stateFile = join(makeTempDir("sandbox"), "state.json");
    const first = await startTestProvider({ stateFile, autoLogin: "dave" });
    const { token } = await codeFlow(first);
    const port = first.port;
    await first.close();

    const second = await startTestProvider({ stateFile, port });
    try {
      const refreshed = await tokenRequest(second, {
        grant_type: "refresh_token", refresh_token: token.body.refresh_token as string, client_id: PUBLIC.id,
      });
      expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
      expect(await userinfo(second, refreshed.body.access_token as string)).toMatchObject({ sub: "dave" });
    } finally {
      await second.close();
    }
  });

  it("refuses non-loopback hosts", async () => {
    await expect(startTestProvider({ host: "0.0.0.0" })).rejects.toThrow(/not a loopback address/);
    await expect(startTestProvider({ host: "192.168.1.10" })).rejects.toThrow(/not a loopback address/);
    await expect(startTestProvider({ host: "::" })).rejects.toThrow(/not a loopback address/);
  });

  it("close() frees the port", async () => {
    const sandbox = await startTestProvider();
    await codeFlow(sandbox);
    await sandbox.close();
    await new Promise<void>((resolve, reject) => {
      const probe = createServer();
      probe.once("error", reject);
      probe.listen(sandbox.port, "127.0.0.1", () => probe.close(() => resolve()));
    });
  });
});
