import { describe, expect, it } from "vitest";
import { eraseLine, guardContext, guardOf, OutputGuard } from "../../src/output/sink.js";
import { isSecretField, redactForm, redactHeader, redactUrl, redactUrlsIn, secretForms } from "../../src/output/redact.js";
import { createTestContext } from "../support/cli.js";

describe("redaction of names no RFC lists", () => {
  it.each(["api_key", "apiKey", "x-api-key", "sig", "signature", "Private-Token", "X-Auth", "X-Auth-Token", "session_id", "db_password", "aws_secret_access_key", "csrf_token", "id_token_hint"])(
    "%s is a secret name",
    (name) => expect(isSecretField(name)).toBe(true),
  );

  it.each(["token_type", "token_endpoint", "token_endpoint_auth_methods_supported", "expires_in", "check_session_iframe", "end_session_endpoint", "scope", "state", "code_challenge", "client_id", "redirect_uri", "error_description", "keys", "www-authenticate"])(
    "%s is not",
    (name) => expect(isSecretField(name)).toBe(false),
  );

  it("headers: credentials after any scheme in any header, but not a challenge", () => {
    expect(redactHeader("X-Auth", "Bearer abc.def")).toBe("Bearer [redacted 7 chars]");
    expect(redactHeader("X-Custom", "Basic dXNlcjpwYXNz")).toBe("Basic [redacted 12 chars]");
    expect(redactHeader("Private-Token", "glpat-xyz")).toBe("[redacted 9 chars]");
    expect(redactHeader("WWW-Authenticate", 'Bearer error="invalid_token"')).toBe('Bearer error="invalid_token"');
    expect(redactHeader("Accept", "application/json")).toBe("application/json");
  });
});

describe("redaction never fails on what it redacts", () => {
  it("malformed percent-encoding is kept as written", () => {
    expect(redactForm("%zz=1&client_secret=s3cret&%E0%A4%A=2")).toBe("%zz=1&client_secret=[redacted 6 chars]&%E0%A4%A=2");
    expect(redactUrl("https://as.example/t?%zz&code=abc#access_token=xyz&%")).toBe("https://as.example/t?%zz&code=[redacted 3 chars]#access_token=[redacted 3 chars]&%");
  });

  it("URL credentials: the password, or a lone user name (often a token)", () => {
    expect(redactUrl("http://alice:pw-123@host/x")).toBe("http://alice:[redacted 6 chars]@host/x");
    expect(redactUrl("https://ghp_token123@github.com/")).toBe("https://[redacted 12 chars]@github.com/");
    expect(redactUrlsIn('could not reach "http://a:b-secret@h/t?client_secret=zz9&x=1": refused')).toBe('could not reach "http://a:[redacted 8 chars]@h/t?client_secret=[redacted 3 chars]&x=1": refused');
  });

  it("a secret with a lone surrogate is scrubbed, not a crash", () => {
    const guard = new OutputGuard();
    guard.addSecret("abc\ud800def");
    expect(guard.redact("x abc\ud800def abc%EF%BF%BDdef")).toBe("x [redacted 7 chars] [redacted 7 chars]");
  });

  it("a huge value is scrubbed as written, without its encodings (a hostile secret file)", () => {
    expect(secretForms("x".repeat(1024 * 1024))).toHaveLength(1);
    expect(secretForms("a b/c").length).toBeGreaterThan(3);
  });
});

describe("OutputGuard", () => {
  it("redacts a secret in every form: as is, percent- and form-encoded, base64, JSON-escaped", () => {
    const guard = new OutputGuard();
    guard.addSecret('p@ss wo/rd+"é');
    const secret = 'p@ss wo/rd+"é';
    const forms = [secret, encodeURIComponent(secret), new URLSearchParams({ x: secret }).toString().slice(2), Buffer.from(secret).toString("base64"), JSON.stringify(secret).slice(1, -1)];
    for (const form of forms) expect(guard.redact(`said: ${form}.`)).toBe("said: [redacted 13 chars].");
  });

  it("learns the secret inside the Basic credentials it sent, and what --param and --header carried", () => {
    const guard = new OutputGuard();
    const basic = Buffer.from(`app:${encodeURIComponent("s3cr3t+x")}`).toString("base64");
    guard.learnRequest({
      url: "https://u:url-pass@as.example/t?sig=sig-value-1",
      headers: { Authorization: `Basic ${basic}`, "Private-Token": "priv-tok-1", "X-Auth": "Bearer xauth-1", Accept: "application/json" },
      body: "grant_type=client_credentials&api_key=key-value-1&scope=openid",
    });
    const text = guard.redact(`echo ${basic} s3cr3t+x url-pass sig-value-1 priv-tok-1 xauth-1 key-value-1 openid application/json`);
    for (const secret of [basic, "s3cr3t+x", "url-pass", "sig-value-1", "priv-tok-1", "xauth-1", "key-value-1"]) expect(text).not.toContain(secret);
    expect(text).toContain("openid application/json");
  });

  it("--show-secrets turns it off", () => {
    const guard = new OutputGuard();
    guard.addSecret("visible-secret");
    guard.showSecrets = true;
    expect(guard.redact("visible-secret http://a:b@h/")).toBe("visible-secret http://a:b@h/");
  });
});

describe("guardContext", () => {
  it("one guard per run: guarding twice returns the same context", () => {
    const guarded = guardContext(createTestContext());
    expect(guardContext(guarded)).toBe(guarded);
    expect(guardOf(guarded)).toBeInstanceOf(OutputGuard);
  });

  it("stderr is redacted and terminal-safe; stdout (the result) is never redacted, and raw unless a terminal", () => {
    const ctx = createTestContext();
    const guarded = guardContext(ctx);
    guardOf(guarded)!.addSecret("the-token-1");
    guarded.stderr.write("note: the-token-1 \u001b]0;x\u0007\n");
    guarded.stdout.write("the-token-1\u001b\n");
    expect(ctx.err()).toBe("note: [redacted 11 chars] \\u001b]0;x\\u0007\n");
    expect(ctx.out()).toBe("the-token-1\u001b\n");
    const tty = createTestContext({ stdoutTTY: true });
    guardContext(tty).stdout.write("the-token-1\u001b\n");
    expect(tty.out()).toBe("the-token-1\\u001b\n");
  });

  it("kept texts stay whole, the longest first: a kept code inside its kept URI does not cut the URI apart", () => {
    const guard = new OutputGuard();
    guard.addSecret("WDJB-MJHT");
    guard.keep("WDJB-MJHT");
    guard.keep("https://as.example/device?user_code=WDJB-MJHT");
    expect(guard.redact("open https://as.example/device?user_code=WDJB-MJHT and enter WDJB-MJHT\n")).toBe("open https://as.example/device?user_code=WDJB-MJHT and enter WDJB-MJHT\n");
  });

  it("eraseLine is the one terminal control that goes around the sink; the same bytes in a message are shown", () => {
    const ctx = createTestContext({ stderrTTY: true });
    const guarded = guardContext(ctx);
    eraseLine(guarded);
    guarded.stderr.write("Waiting\r\u001b[2Kforged");
    expect(ctx.err()).toBe("\r\u001b[2KWaiting\\r\\u001b[2Kforged");
  });

  it("our own hint's placeholder credentials are shown; a real password in a URL is still redacted", () => {
    const guard = new OutputGuard();
    expect(guard.redact("hint: Put them in the proxy URL (http://USER:PASSWORD@host:port, percent-encoded)")).toBe("hint: Put them in the proxy URL (http://USER:PASSWORD@host:port, percent-encoded)");
    expect(guard.redact("proxy http://alice:hunter2-x@proxy:3128")).toBe("proxy http://alice:[redacted 9 chars]@proxy:3128");
  });
});
