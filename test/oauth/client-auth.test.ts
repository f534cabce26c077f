import { generateKeyPairSync } from "node:crypto";
import { decodeJwt, decodeProtectedHeader, importJWK, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { algorithmsFor, readClientKey } from "../../src/jwt/client-key.js";
import { buildAssertionClaims, chooseSigningAlg, signClientAssertion } from "../../src/oauth/client-assertion.js";
import { chooseAuthMethod } from "../../src/oauth/client-auth.js";
import { ReservedParameterError } from "../../src/oauth/parameter-error.js";
import { buildTokenRequest } from "../../src/oauth/token-request.js";

const none = { secret: false, privateKey: false, certificate: false };

describe("chooseAuthMethod: the first the server lists that the credentials allow", () => {
  it("follows the server's order among what the credentials allow", () => {
    expect(chooseAuthMethod({ ...none, privateKey: true }, ["client_secret_basic", "private_key_jwt"])).toBe("private_key_jwt");
    expect(chooseAuthMethod({ ...none, secret: true, privateKey: true }, ["client_secret_post", "private_key_jwt"])).toBe("client_secret_post");
    expect(chooseAuthMethod({ ...none, certificate: true }, ["self_signed_tls_client_auth", "tls_client_auth"])).toBe("self_signed_tls_client_auth");
    expect(chooseAuthMethod({ ...none, secret: true }, ["client_secret_jwt"])).toBe("client_secret_jwt");
  });
  it("without metadata (or nothing listed usable), the strongest the credentials allow", () => {
    expect(chooseAuthMethod({ ...none, privateKey: true })).toBe("private_key_jwt");
    expect(chooseAuthMethod({ ...none, certificate: true })).toBe("tls_client_auth");
    expect(chooseAuthMethod({ ...none, secret: true }, ["private_key_jwt"])).toBe("client_secret_basic");
    expect(chooseAuthMethod(none, ["client_secret_basic"])).toBe("none");
  });
});

describe("the client assertion (RFC 7523 §3)", () => {
  it("iss = sub = client id, the audience given, the jti given, exp 60 s after iat", () => {
    const claims = buildAssertionClaims({ clientId: "app", audience: "https://as.example/token", jti: "j-1", nowMs: 1_700_000_000_500 });
    expect(claims).toEqual({ iss: "app", sub: "app", aud: "https://as.example/token", jti: "j-1", iat: 1_700_000_000, exp: 1_700_000_060 });
  });

  it("signed with the private key verifies with its public half; the kid is in the header", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const claims = buildAssertionClaims({ clientId: "app", audience: "aud", jti: "j", nowMs: Date.now() });
    const jwt = await signClientAssertion(claims, { kind: "private", key: privateKey, alg: "ES256", kid: "k" });
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: "ES256", typ: "JWT", kid: "k" });
    const { payload } = await jwtVerify(jwt, publicKey, { audience: "aud", issuer: "app", subject: "app" });
    expect(payload.jti).toBe("j");
  });

  it("client_secret_jwt: HS256 with the secret's bytes", async () => {
    const jwt = await signClientAssertion(buildAssertionClaims({ clientId: "app", audience: "aud", jti: "j", nowMs: Date.now() }), { kind: "secret", secret: "s".repeat(32), alg: "HS256" });
    const key = await importJWK({ kty: "oct", k: Buffer.from("s".repeat(32)).toString("base64url") }, "HS256");
    await expect(jwtVerify(jwt, key)).resolves.toBeTruthy();
    expect(decodeJwt(jwt).sub).toBe("app");
  });
});

describe("reading the client's key", () => {
  it("knows each key's algorithms, and picks the server's from them", async () => {
    expect(algorithmsFor({ kty: "EC", crv: "P-384" })).toEqual(["ES384"]);
    expect(algorithmsFor({ kty: "OKP", crv: "Ed25519" })[0]).toBe("EdDSA");
    const rsa = await readClientKey(generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "pem", type: "pkcs1" }).toString());
    expect(rsa.type).toBe("RSA");
    expect(chooseSigningAlg(rsa, undefined, ["PS256", "ES256"])).toBe("PS256");
    expect(chooseSigningAlg(rsa, undefined, undefined)).toBe("RS256");
    expect(chooseSigningAlg(rsa, "RS512", ["PS256"])).toBe("RS512");
  });
  it("refuses a public key, a certificate, and garbage, saying which", async () => {
    const { publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    await expect(readClientKey(JSON.stringify(publicKey.export({ format: "jwk" })))).rejects.toThrow(/public JWK/);
    await expect(readClientKey(publicKey.export({ format: "pem", type: "spki" }).toString())).rejects.toThrow(/public key or certificate/);
    await expect(readClientKey("hello")).rejects.toThrow(/neither PEM .* nor a JWK/);
  });
});

describe("buildTokenRequest with an assertion (RFC 7523 §2.2)", () => {
  const base = { tokenEndpoint: "https://as.example/token", grant: { grant_type: "client_credentials" }, clientId: "app", bodyFormat: "form" as const };
  it("sends client_id, client_assertion_type and client_assertion, and no Authorization header", () => {
    const request = buildTokenRequest({ ...base, authMethod: "private_key_jwt", clientAssertion: "a.b.c" });
    expect(request.body).toBe("grant_type=client_credentials&client_id=app&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=a.b.c");
    expect(request.headers.Authorization).toBeUndefined();
  });
  it("refuses a --param client_assertion when it signs its own; the mTLS methods send only client_id", () => {
    expect(() => buildTokenRequest({ ...base, authMethod: "client_secret_jwt", clientSecret: "s", clientAssertion: "a.b.c", params: [["client_assertion", "x"]] })).toThrow(ReservedParameterError);
    expect(buildTokenRequest({ ...base, authMethod: "tls_client_auth", clientSecret: "never-sent" }).body).toBe("grant_type=client_credentials&client_id=app");
  });
});
