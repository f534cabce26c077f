import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

/**
 * decode-error applies the evidence step to a paste: what the paste carries re-ranks the causes,
 * and each finding quotes the paste (a paste is evidence only of what it contains).
 */
interface Decoded {
  error: string;
  notes: string[];
  causes: { id: string; evidence: string[] }[];
}

async function decode(paste: string): Promise<{ json: Decoded; text: string }> {
  const json = await runCli(["decode-error", "--json", "-"], { stdin: paste });
  expect(json.exitCode).toBe(0);
  const text = await runCli(["decode-error", "-"], { stdin: paste });
  expect(text.exitCode).toBe(0);
  return { json: JSON.parse(json.stdout) as Decoded, text: text.stdout };
}

describe("decode-error: the paste's own words re-rank the causes", () => {
  it("a bare invalid_grant keeps the catalogue order (the control for the cases below), and says nothing singled a cause out", async () => {
    const { json, text } = await decode('{"error":"invalid_grant"}');
    expect(json.causes[0]!.id).toBe("code-reused");
    expect(json.causes.every((c) => c.evidence.length === 0)).toBe(true);
    expect(text).toMatch(/note: nothing in the paste points at one cause/);
    const specific = await decode('{"error":"invalid_grant","error_description":"Invalid code verifier"}');
    expect(specific.text).not.toMatch(/nothing in the paste points at one cause/);
  });

  it.each([
    // https://github.com/youversion/platform-sdk-react/pull/10
    ["PKCE, however the parameter is written", '{"error":"invalid_grant","error_description":"Invalid code verifier"}', "pkce-verifier-mismatch"],
    ["PKCE in camelCase", '{"error":"invalid_grant","error_description":"codeVerifier does not match"}', "pkce-verifier-mismatch"],
    // https://github.com/marcospereirampj/python-keycloak/issues/207
    ["a redirect_uri mismatch at the token endpoint", '{"error":"invalid_grant","error_description":"Incorrect redirect_uri"}', "redirect-uri-mismatch"],
    ["a redirect URI written with a space", '{"error":"invalid_grant","error_description":"Mismatching redirect URI."}', "redirect-uri-mismatch"],
    // https://github.com/porjo/youtubeuploader/issues/181
    ["an expired refresh token (expired beats revoked in 'expired or revoked')", 'oauth2: "invalid_grant" "Token has been expired or revoked."', "refresh-token-expired"],
    // https://github.com/spencerwooo/onedrive-cf-index/issues/25: an AADSTS code inside the description
    ["an expired code, from an AADSTS description", '{"error":"invalid_grant","error_description":"AADSTS70000: The provided value for the \'code\' parameter is not valid. The code has expired."}', "code-expired"],
    // https://github.com/code-specialist/fastapi-keycloak/issues/65: a cause unauthorized_client's entry lacks is still shown
    ["a wrong secret under unauthorized_client", "HTTP 403: {'error': 'unauthorized_client', 'error_description': 'Invalid client secret'}", "wrong-secret"],
    // https://github.com/simonrob/email-oauth2-proxy/issues/362
    ["an unknown client", "RefreshError('invalid_client: The OAuth client was not found.', {'error': 'invalid_client', 'error_description': 'The OAuth client was not found.'})", "unknown-client"],
    // https://github.com/thomasdarimont/spring-boot-keycloak-jwe-example/issues/1
    ["the auth method (client_assertion)", '{"error":"invalid_client","error_description":"Parameter client_assertion_type is missing"}', "wrong-auth-method"],
  ])("%s", async (_name, paste, first) => {
    const { json, text } = await decode(paste);
    expect(json.causes[0]!.id).toBe(first);
    expect(json.causes[0]!.evidence.join("\n")).toMatch(/^the pasted error says "/);
    expect(text).toMatch(/the pasted error says "/);
    expect(text).not.toMatch(/this run|oauth-cli already sent/i);
  });

  it("when the paste names the grant that failed, the other grant's causes drop below it", async () => {
    // "Refresh token not found": Intuit's log for a refresh token the app had already rotated away
    // (https://github.com/intuit/oauth-jsclient/issues/77)
    const refresh = await decode('{"error":"invalid_grant","error_description":"Refresh token not found"}');
    expect(refresh.json.causes[0]!.id).toMatch(/^refresh-token-/);
    const codeAt = refresh.json.causes.findIndex((c) => c.id === "code-reused");
    expect(codeAt === -1 || codeAt > refresh.json.causes.findIndex((c) => c.id === "refresh-token-expired")).toBe(true);
    const stale = await decode("OAuth2AuthorizationException: [invalid_grant] Stale authorization code");
    expect(stale.json.causes[0]!.id).toBe("code-expired");
  });

  it("a refining field (error_hint) is evidence too, and says where it came from; RFC 6749's boilerplate description is not", async () => {
    // Ory Hydra sends RFC 6749 §5.2's definition as the description and the specifics in error_hint.
    const { json } = await decode('{"error":"invalid_grant","error_description":"The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.","error_hint":"The PKCE code challenge did not match the code verifier."}');
    expect(json.causes.find((c) => c.id === "code-expired")?.evidence ?? []).toEqual([]);
    const pkce = json.causes.find((c) => c.id === "pkce-verifier-mismatch")!;
    expect(json.causes[0]!.id).toBe("pkce-verifier-mismatch");
    expect(pkce.evidence).toContain('the paste\'s error_hint is "The PKCE code challenge did not match the code verifier."');
  });

  it.each([
    ["user_password_expired", "password-changed"],
    ["token_expired", "refresh-token-expired"],
    ["consent_required", "consent-missing"],
  ])("Entra's suberror %s counts as what the paste says", async (suberror, first) => {
    const { json } = await decode(`{"error":"invalid_grant","error_description":"AADSTS50000: There was an error issuing a token.","suberror":"${suberror}"}`);
    expect(json.causes[0]!.id).toBe(first);
    expect(json.causes[0]!.evidence).toContain(`the paste's suberror is "${suberror}"`);
  });

  it("a request in the paste rules out the other grant's causes", async () => {
    const withoutRequest = await decode('{"error":"invalid_grant","error_description":"Invalid grant"}');
    expect(withoutRequest.json.causes[0]!.id).toBe("code-reused");
    const { json } = await decode('curl -d grant_type=refresh_token -d refresh_token=abc https://id.example.com/token\n{"error":"invalid_grant","error_description":"Invalid grant"}');
    expect(json.causes[0]!.id).toMatch(/^refresh-token-/);
    const codeCauses = ["code-reused", "code-expired", "pkce-verifier-mismatch"].map((id) => json.causes.findIndex((c) => c.id === id));
    for (const at of codeCauses) expect(at === -1 || at > json.causes.findIndex((c) => c.id === "refresh-token-expired")).toBe(true);
  });

  it("a token request's redirect_uri in the paste is quoted under the mismatch cause, and a code grant rules out refresh causes", async () => {
    const { json } = await decode('POST /token grant_type=authorization_code&code=abc&redirect_uri=http://localhost:3000/cb\n{"error":"invalid_grant","error_description":"Invalid grant"}');
    const mismatch = json.causes.find((c) => c.id === "redirect-uri-mismatch")!;
    expect(mismatch.evidence).toContain("the pasted request carried redirect_uri=http://localhost:3000/cb: it must equal the authorization request's byte for byte");
    const firstRefresh = json.causes.findIndex((c) => c.id.startsWith("refresh-token-"));
    expect(firstRefresh === -1 || firstRefresh > json.causes.findIndex((c) => c.id === "code-reused")).toBe(true);
  });

  it("a token request without a code_verifier, shown with a PKCE refusal, says so under the PKCE cause", async () => {
    const { json, text } = await decode('grant_type=authorization_code&code=abc&redirect_uri=http://127.0.0.1:8080/cb\n{"error":"invalid_grant","error_description":"Code verifier required."}');
    expect(json.causes[0]!.id).toBe("pkce-verifier-mismatch");
    expect(json.causes[0]!.evidence).toEqual([
      'the pasted error says "Code verifier required."',
      "the pasted token request carried no code_verifier: if the authorization request sent a code_challenge, the server needs one",
    ]);
    expect(text).not.toMatch(/this run/);
  });

  it("Google's page: the request details it shows are quoted as the paste's, with the registration cause first", async () => {
    // https://github.com/dissorial/doc-chatbot/issues/10
    const { json, text } = await decode("Error 400: redirect_uri_mismatch\n\nYou can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy.\n\nIf you're the app developer, register the redirect URI in the Google Cloud Console.\nRequest details: redirect_uri=http://localhost:3000/api/auth/callback/google");
    expect(json.error).toBe("redirect_uri_mismatch");
    expect(json.causes[0]!.id).toBe("redirect-not-registered");
    expect(text).toMatch(/the pasted request carried redirect_uri=http:\/\/localhost:3000\/api\/auth\/callback\/google/);
  });

  it("exit codes are unchanged: a paste with nothing OAuth-like is a usage error (2) with the reason on stderr", async () => {
    const run = await runCli(["decode-error", "-"], { stdin: "Something went wrong, please try again later." });
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/no OAuth error found/);
  });
});
