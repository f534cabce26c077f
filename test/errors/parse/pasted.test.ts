import { describe, expect, it } from "vitest";
import { parseErrorInput, type ParsedInput } from "../../../src/errors/parse/index.js";
import type { OAuthErrorReport } from "../../../src/errors/types.js";

/**
 * The formats people paste, each taken from a public issue thread (the URL is the source; the full
 * cases are in test/errors/corpus/pastes.json).
 */
function one(input: string): OAuthErrorReport {
  const r: ParsedInput = parseErrorInput(input);
  if (r.kind !== "report") throw new Error(`expected one report, got ${JSON.stringify(r)}`);
  return r.report;
}

describe("client library error strings", () => {
  it.each([
    // https://github.com/porjo/youtubeuploader/issues/181 (golang.org/x/oauth2 ≥ 0.9)
    ["Go oauth2, new format", 'oauth2: "invalid_grant" "Token has been expired or revoked."', "invalid_grant", "Token has been expired or revoked."],
    // https://github.com/jkroepke/openvpn-auth-oauth2/issues/49 (with the error_uri as a third string)
    ["Go oauth2, three strings", 'failed to exchange token: oauth2: "bad_verification_code" "The code passed is incorrect or expired." "https://docs.github.com/apps/x"', "bad_verification_code", "The code passed is incorrect or expired."],
    // https://github.com/odeke-em/drive/issues/346 (golang.org/x/oauth2 < 0.9)
    ["Go oauth2, old format", 'oauth2: cannot fetch token: 400 Bad Request\nResponse: {\n  "error" : "invalid_grant",\n  "error_description" : "Code was already redeemed."\n}', "invalid_grant", "Code was already redeemed."],
    // https://github.com/Byron/google-apis-rs/issues/486 (Rust Debug output)
    ["Rust Debug", 'Error(AuthError { error: UnauthorizedClient, error_description: Some("Client is unauthorized to retrieve access tokens using this method."), error_uri: None })', "unauthorized_client", "Client is unauthorized to retrieve access tokens using this method."],
    // https://github.com/taers232c/GAMADV-XTD3/issues/172 (oauthlib)
    ["oauthlib", "ERROR: The authentication flow failed (invalid verification code entered?): (invalid_grant) Invalid code verifier.", "invalid_grant", "Invalid code verifier."],
    ["Spring Security", "org.springframework.security.oauth2.core.OAuth2AuthenticationException: [invalid_grant] Invalid authorization code", "invalid_grant", "Invalid authorization code"],
    // https://github.com/googleworkspace/python-samples/issues/1644 (google-auth RefreshError repr)
    ["Python repr", "RefreshError('invalid_grant: Token has been expired or revoked.', {'error': 'invalid_grant', 'error_description': 'Token has been expired or revoked.'})", "invalid_grant", "Token has been expired or revoked."],
    // https://github.com/marcospereirampj/python-keycloak/issues/207 (bytes literal)
    ["Python bytes literal", "keycloak.exceptions.KeycloakGetError: 400: b'{\"error\":\"invalid_grant\",\"error_description\":\"Incorrect redirect_uri\"}'", "invalid_grant", "Incorrect redirect_uri"],
    // https://github.com/openid/AppAuth-iOS/issues/843 (NSError dump, Objective-C dictionary)
    ["Objective-C", 'UserInfo={OIDOAuthErrorResponseErrorKey={\n    error = "invalid_grant";\n    "error_description" = "Token is not active";\n}', "invalid_grant", "Token is not active"],
    // https://github.com/aaronpk/sign-in-with-apple-example/issues/6 (PHP print_r)
    ["PHP print_r", "stdClass Object\n(\n    [error] => invalid_client\n)", "invalid_client", undefined],
    // https://github.com/intuit/oauth-jsclient/issues/77 (Node util.inspect)
    ["Node inspect", "response: Response {\n  status: 400,\n  statusText: 'Bad Request' },\n  json: { error: 'invalid_grant' },\n  intuit_tid: '6a115e25' }", "invalid_grant", undefined],
    // https://github.com/xgeek-net/salesforce-mass-editor/issues/4 (code: description on a later log line)
    ["code: description deep in a log", "[2018-01-23 15:15] CHECK TOKEN , true\n[2018-01-23 15:15] [ERROR] invalid_grant: expired access/refresh token\n    at main.min.js:11:11957", "invalid_grant", "expired access/refresh token"],
  ])("%s", (_name, paste, code, description) => {
    const r = one(paste);
    expect(r.error).toBe(code);
    if (description !== undefined) expect(r.error_description).toBe(description);
  });

  it("passport-oauth2's TokenError as Node prints it: the message is the description, the code comes after the stack", () => {
    // Shape from passport-oauth2 lib/errors/tokenerror.js (message, code, uri, status) under util.inspect.
    const r = one("TokenError: Code was already redeemed.\n    at Strategy.OAuth2Strategy.parseErrorResponse (node_modules/passport-oauth2/lib/strategy.js:358:12)\n    at Strategy.OAuth2Strategy._createOAuthError (node_modules/passport-oauth2/lib/strategy.js:405:16) {\n  code: 'invalid_grant',\n  uri: undefined,\n  status: 500\n}");
    expect(r).toMatchObject({ error: "invalid_grant", error_description: "Code was already redeemed." });
  });

  it("openid-client's OPError keeps the description in parentheses", () => {
    // https://github.com/auth0/express-openid-connect/issues/296
    expect(one("OPError: invalid_grant (Session not active)\n    at processResponse (process_response.js:45:13)")).toMatchObject({ error: "invalid_grant", error_description: "Session not active" });
  });
});

describe("what is not an OAuth error stays unrecognised", () => {
  it.each([
    ["a log line in the same `word_word: text` shape", "2024-01-01 INFO user_login: success for alice"],
    ["a parenthesised snake_case word that is no error", "Build info (python_version) 3.12 on linux"],
    ["a Python traceback", "Traceback (most recent call last):\n  File \"app.py\", line 3, in <module>\nModuleNotFoundError: No module named 'requests_oauthlib'"],
    ["an nginx 404 page", "<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1><hr>nginx/1.18.0</body></html>"],
  ])("%s", (_name, text) => {
    expect(parseErrorInput(text).kind).toBe("unrecognised");
  });
});

describe("provider error pages", () => {
  it("Google's page: the code line, then its paragraphs up to the request details, which are kept as the request", () => {
    // https://github.com/dissorial/doc-chatbot/issues/10
    const r = one("Error 400: redirect_uri_mismatch\n\nYou can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy.\n\nIf you're the app developer, register the redirect URI in the Google Cloud Console.\nRequest details: redirect_uri=http://localhost:3000/api/auth/callback/google");
    expect(r.error).toBe("redirect_uri_mismatch");
    expect(r.error_description).toBe("You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy. If you're the app developer, register the redirect URI in the Google Cloud Console.");
    expect(r.extra.request).toEqual({ redirect_uri: "http://localhost:3000/api/auth/callback/google" });
  });

  it("Google's older page, with a typographic apostrophe and an Application line", () => {
    // https://github.com/edds/browser-matrix/issues/1
    const r = one("400. That’s an error.\n\nError: redirect_uri_mismatch\n\nApplication: BrowserMatrix\n\nThe redirect URI in the request: https://edds.github.io/browser-matrix/ did not match a registered redirect URI\n\nRequest Details\n\nscope=email\nresponse_type=token\nredirect_uri=https://edds.github.io/browser-matrix/");
    expect(r).toMatchObject({ error: "redirect_uri_mismatch", error_description: "The redirect URI in the request: https://edds.github.io/browser-matrix/ did not match a registered redirect URI" });
    expect(r.extra.request).toEqual({ response_type: "token", redirect_uri: "https://edds.github.io/browser-matrix/", scope: "email" });
  });

  it.each([
    // https://github.com/oktadev/okta-node-express-typescript-react-example/issues/12
    ["English", "Your request resulted in an error.\nIdentity Provider: Unknown\nError Code: invalid_request\nDescription: The 'redirect_uri' parameter must be a Login redirect URI in the client app settings: https://dev-x-admin.oktapreview.com/admin/app"],
    // https://github.com/oktadev/okta-aspnetcore-mvc-example/issues/14
    ["Spanish", "Proveedor de identidades: Unknown\nCódigo de error: invalid_request\nDescripción: The 'redirect_uri' parameter must be an absolute URI that is whitelisted in the client app settings."],
  ])("Okta's page (%s labels)", (_lang, paste) => {
    const r = one(paste);
    expect(r.error).toBe("invalid_request");
    expect(r.error_description).toMatch(/^The 'redirect_uri' parameter must be/);
  });
});

describe("bodies damaged on the way", () => {
  it("a JSON body escaped inside another JSON string, with a broken quote (pocketbase#2475)", () => {
    // https://github.com/pocketbase/pocketbase/issues/2475
    const r = one('"errorMessage":"oauth2":cannot fetch token:400 Bad Request\\nResponse:{\\n \\"error\\":\\"invalid_grant",\\n\\"error_description\\":\\"Invalid code vérifier.\\"\\n}\n}');
    expect(r).toMatchObject({ error: "invalid_grant", error_description: "Invalid code vérifier." });
  });

  it("a truncated Entra body: the code, the description without its trace lines, and the AADSTS code", () => {
    // https://github.com/spencerwooo/onedrive-cf-index/issues/25
    const r = one('{"error":"invalid_grant","error_description":"AADSTS70000: The provided value for the \'code\' parameter is not valid. The code has expired.\\r\\nTrace ID: 7da0f588\\r\\nCorrelation ID: 397ffa74\\r\\nTimestamp: 2020-09-02 09:11:20Z","error_codes":[70000],"timestamp":"2020-09-02 09:11:20Z","error_uri":"https://login.microsoftonline.com/error?code=70000');
    expect(r.error).toBe("invalid_grant");
    expect(r.error_description).toBe("AADSTS70000: The provided value for the 'code' parameter is not valid. The code has expired.");
    expect(r.providerCodes).toContain("AADSTS70000");
    expect(r.error_uri).toBe("https://login.microsoftonline.com/error?code=70000");
  });

  it("Entra's error_uri names the AADSTS code when error_codes is missing", () => {
    expect(one('{"error":"invalid_grant","error_description":"The code has expired.","error_uri":"https://login.microsoftonline.com/error?code=70000"}').providerCodes).toEqual(["AADSTS70000"]);
  });

  it("smart quotes from a word processor", () => {
    expect(one("{“error”: “invalid_grant”, “error_description”: “Code not valid”")).toMatchObject({ error: "invalid_grant", error_description: "Code not valid" });
  });

  it("a truncated bytes literal picks the OAuth code, not a field name, before the AADSTS code", () => {
    // https://github.com/blobfile/blobfile/issues/93
    const r = one('400: `b\'{"error":"invalid_grant","error_description":"AADSTS700082: The refresh token has expired due to inactivity.` from https://login.microsoftonline.com/common/oauth2/token');
    expect(r.error).toBe("invalid_grant");
    expect(r.providerCodes).toEqual(["AADSTS700082"]);
  });

  it("fields that refine a code are kept (error_hint, error_subtype, suberror)", () => {
    const r = one('log: {"error":"invalid_grant","error_description":"The provided authorization grant is invalid","error_hint":"The PKCE code challenge did not match the code verifier.","suberror":"bad_token"');
    expect(r.extra).toMatchObject({ error_hint: "The PKCE code challenge did not match the code verifier.", suberror: "bad_token" });
  });
});

describe("a request and an error in one paste", () => {
  it("keeps the request's OAuth parameters apart from the error (IdentityServer4#1456)", () => {
    // https://github.com/DuendeArchive/IdentityServer4/issues/1456
    const r = one('grant_type=client_credentials&client_id=redacted&client_secret=redacted&scope=SCOPE_DOES_NOT_EXIST\n\nI receive the following\n\n{"error":"invalid_scope"}');
    expect(r.error).toBe("invalid_scope");
    expect(r.extra.request).toEqual({ grant_type: "client_credentials", client_id: "redacted", scope: "SCOPE_DOES_NOT_EXIST" });
  });

  it("a code_verifier in the paste is noted as present, never echoed (a verifier is a secret until spent)", () => {
    const r = one('grant_type=authorization_code&code=abc&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk\n{"error":"invalid_grant"}');
    expect(r.extra.request).toEqual({ grant_type: "authorization_code", code_verifier: "[redacted]" });
    expect(JSON.stringify(r)).not.toContain("dBjftJeZ4CVP");
  });

  it("a form body's own parameters are the error, not a request", () => {
    expect(one("error=invalid_grant&error_description=Bad&redirect_uri=http://x").extra.request).toBeUndefined();
  });

  it("a redirect whose error parameter holds a whole error message is read through", () => {
    const r = one("https://app.example.com/callback?error=invalid_grant%3A+Code+not+valid&state=s1");
    expect(r).toMatchObject({ format: "redirect", error: "invalid_grant", error_description: "Code not valid", state: "s1" });
  });
});

describe("bounded on large pastes", () => {
  it("reads the first and the last 64 KiB of a long log, and only those", () => {
    const noise = (n: number) => "2024-05-01 INFO noise line\n".repeat(n);
    expect(one(`${noise(2000)}oauth2: "invalid_grant" "Bad Request"\n${noise(80_000)}`).error).toBe("invalid_grant");
    expect(one(`${noise(80_000)}[ERROR] invalid_grant: expired access/refresh token\n`).error).toBe("invalid_grant");
    expect(parseErrorInput(`${noise(40_000)}oauth2: "invalid_grant" "Bad Request"\n${noise(40_000)}`).kind).toBe("unrecognised");
  });
});
