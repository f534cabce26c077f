import { describe, expect, it } from "vitest";
import { cutPaste, pasteEndsAt } from "../../src/commands/decode-error/run.js";
import { runCli } from "../support/cli.js";

const decode = (args: string[], opts = {}) => runCli(["decode-error", ...args], opts);

describe("decode-error: every input kind, from arguments or standard input", () => {
  it.each([
    ["a bare code", ["invalid_grant"], /^invalid_grant — /, /read as: a bare error code/],
    ["an AADSTS code", ["AADSTS70008"], /^AADSTS70008 — /, /read as: a bare error code/],
    ["a JSON body (seed 001 array)", ['{"error":"invalid_request","error_description":["Missing required params","client_id"]}'], /^invalid_request — /, /provider said: "Missing required params"\n\s+"client_id"/],
    ["the legacy envelope", ['{"success":false,"errorMessage":"Redirect URI is invalid","errorCode":"invalid_request"}'], /^invalid_request — /, /legacy \{success:false, errorMessage\} envelope/],
    ["a form body (+ is a space)", ["error=invalid_grant&error_description=Invalid+refresh_token"], /^invalid_grant — /, /provider said: "Invalid refresh_token"/],
    ["a redirect URL", ["http://127.0.0.1:8080/callback?error=access_denied&error_description=User+denied&state=xyz"], /^access_denied — /, /state: xyz/],
    ["a WWW-Authenticate header", ['WWW-Authenticate: Bearer realm="api", error="invalid_token", error_description="expired"'], /^invalid_token — /, /WWW-Authenticate challenge/],
    ["a provider message, words as separate arguments", ["AADSTS54005:", "OAuth2", "Authorization", "code", "was", "already", "redeemed."], /^invalid_grant — |^AADSTS54005 — /, /provider codes: AADSTS54005/],
  ])("%s", async (_kind, args, headline, detail) => {
    const run = await decode(args);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(headline);
    expect(run.stdout).toMatch(detail);
    expect(run.stdout).toMatch(/Likely causes, most likely first:\n {2}1\. /);
    expect(run.stderr).toBe("");
  });

  it("curl -i output on standard input with -: the status counts, and a disagreeing one is noted", async () => {
    const dump = 'HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nX-Request-Id: r-42\r\n\r\n{"error":"invalid_grant","error_description":"Code not valid"}';
    const run = await decode(["-"], { stdin: dump });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/HTTP 401 Unauthorized · application\/json/);
    expect(run.stdout).toMatch(/x-request-id: r-42/);
    expect(run.stdout).toMatch(/note: the response's status is 401, but RFC 6749 §5\.2 gives 400/);
    expect(run.stdout).toMatch(/provider: Keycloak \(the description is worded as this provider documents it\)/); // "Code not valid" is Keycloak's wording
  });

  it("no argument and a pipe reads standard input", async () => {
    const run = await decode([], { stdin: "slow_down\n" });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^slow_down — /);
    expect(run.stdout).toMatch(/RFC 8628 §3\.5 {2}https:\/\/www\.rfc-editor\.org\/rfc\/rfc8628#section-3\.5/);
    expect(run.stdout).toMatch(/used at: device-flow/);
  });

  it("on a terminal it asks for a paste on stderr and stops at the blank line after the body", async () => {
    const paste = 'HTTP/1.1 400 Bad Request\nContent-Type: application/json\n\n{"error":"invalid_scope"}\n\nthis line is after the paste\n';
    const run = await decode([], { stdin: paste, stdinTTY: true });
    expect(run.stderr).toMatch(/^Paste the error .*\n.*empty line/);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^invalid_scope — /);
    expect(cutPaste(paste)).toBe('HTTP/1.1 400 Bad Request\nContent-Type: application/json\n\n{"error":"invalid_scope"}\n');
  });

  it("the paste ends at the first blank line, except the one between headers and body", () => {
    expect(pasteEndsAt(["invalid_grant", ""])).toBe(true);
    expect(pasteEndsAt(["", ""])).toBe(false);
    expect(pasteEndsAt(["HTTP/1.1 400 Bad Request", "A: b", ""])).toBe(false);
    expect(pasteEndsAt(["HTTP/1.1 400 Bad Request", "A: b", "", ""])).toBe(true);
    expect(pasteEndsAt(["< HTTP/2 401", "< a: b", "", "{}", ""])).toBe(true);
  });
});

describe("decode-error: unknown codes, unreadable input, --json, colour", () => {
  // One rule for the exit status: 0 only when the error was identified; 2 when not, advice still on stdout.
  it("an unknown code is read, said to be unknown, with advice by status: exit 2", async () => {
    const run = await decode(["-"], { stdin: 'HTTP/1.1 429 Too Many Requests\n\n{"error":"quota_blown"}' });
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toMatch(/^quota_blown — unknown error code "quota_blown"/);
    expect(run.stdout).toMatch(/Advice for HTTP 429: Too Many Requests/);
    expect(run.stderr).toMatch(/^error: decode-error: unknown error code "quota_blown"\n/);
  });

  it("a misspelt code: the nearest known code is suggested, exit 2", async () => {
    const run = await decode(["invalid_grnat"]);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toMatch(/^invalid_grnat — unknown error code "invalid_grnat" \(did you mean invalid_grant\?\)/);
    expect(run.stderr).toMatch(/^error: decode-error: unknown error code "invalid_grnat": did you mean invalid_grant\?/m);
    expect(run.stderr).toMatch(/hint: oauth-cli decode-error invalid_grant/);
    const json = await decode(["--json", "invalid_scpoe"]);
    expect(json.exitCode).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: "invalid_scpoe", known: false, didYouMean: ["invalid_scope"] });
  });

  it("an HTML 404 page from curl -i: no OAuth error in it, exit 2 with advice by status", async () => {
    const run = await decode(["-"], { stdin: "HTTP/1.1 404 Not Found\r\ncontent-type: text/html\r\n\r\n<html><body><h1>404 Not Found</h1></body></html>\n" });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^error: decode-error: no OAuth error code in the input \(HTTP 404\)/);
    expect(run.stderr).not.toMatch(/\bat \S+\.(?:ts|js):\d+/);
  });

  it("a known code exits 0", async () => {
    expect((await decode(["invalid_grant"])).exitCode).toBe(0);
    expect((await decode(["AADSTS70008"])).exitCode).toBe(0);
  });

  it("nothing OAuth-like: exit 2, says what was expected, no stack trace", async () => {
    const run = await decode(["hello"]);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^error: decode-error: "hello" is a single word but does not look like an error code/);
    expect(run.stderr).toMatch(/expected a JSON error body, a form body or redirect URL with error=/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("empty standard input is exit 2 too", async () => {
    const run = await decode(["-"], { stdin: "" });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/the input is empty/);
  });

  it("--json prints the same as one object", async () => {
    const run = await decode(["--json", "error=invalid_grant&error_description=Invalid+refresh_token"]);
    expect(run.exitCode).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ error: "invalid_grant", format: "form", error_description: "Invalid refresh_token", known: true, spec: { name: "RFC 6749 §5.2" }, expectedStatus: [400, 401] });
    expect(out.causes[0]).toMatchObject({ id: "consent-revoked", evidence: [] });
    expect(out.causes[0].text).toMatch(/revoked the partner's access/);
    expect(out.matched[0]).toEqual({ provider: "a provider with a JSON-only token endpoint", description: expect.stringMatching(/^The refresh token is not valid any more/) });
    expect(out.providers).toEqual([{ provider: "a provider with a JSON-only token endpoint", because: "the description is worded as this provider documents it" }]);
  });

  it("--json with two challenges in one header keeps the second under others", async () => {
    const run = await decode(["--json", 'WWW-Authenticate: DPoP error="use_dpop_nonce", Bearer error="invalid_token"']);
    const out = JSON.parse(run.stdout);
    expect(out.error).toBe("use_dpop_nonce");
    expect(out.others.map((o: { error: string }) => o.error)).toEqual(["invalid_token"]);
  });

  it("colour only on a TTY and never with NO_COLOR", async () => {
    const tty = await decode(["invalid_grant"], { stdoutTTY: true, env: { NO_COLOR: undefined } });
    expect(tty.stdout).toMatch(/\u001b\[/);
    const noColor = await decode(["invalid_grant"], { stdoutTTY: true, env: { NO_COLOR: "1" } });
    expect(noColor.stdout).not.toMatch(/\u001b\[/);
    const pipe = await decode(["invalid_grant"], { env: { NO_COLOR: undefined } });
    expect(pipe.stdout).not.toMatch(/\u001b\[/);
  });
});
