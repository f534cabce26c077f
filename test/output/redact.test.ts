import { describe, expect, it } from "vitest";
import { formatExchange } from "../../src/output/trace.js";
import type { HttpExchange } from "../../src/http/types.js";

const exchange: HttpExchange = {
  request: {
    method: "POST",
    url: "https://as.example/token?code=abc123secret&x=1",
    headers: { Authorization: "Basic dXNlcjpwYXNz", "Content-Type": "application/x-www-form-urlencoded" },
    body: "grant_type=authorization_code&code=the-code-value&code_verifier=verifier-value-123&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&client_secret=shh-secret",
  },
  response: {
    status: 200,
    statusText: "OK",
    headers: { "content-type": "application/json", "set-cookie": "sid=cookie-value" },
    body: JSON.stringify({ access_token: "at-value-xyz", refresh_token: "rt-value-xyz", id_token: "id-value-xyz", token_type: "Bearer" }),
    truncated: false,
  },
  startedAt: 0,
  durationMs: 12,
};

const SECRETS = ["abc123secret", "dXNlcjpwYXNz", "the-code-value", "verifier-value-123", "shh-secret", "cookie-value", "at-value-xyz", "rt-value-xyz", "id-value-xyz"];

describe("formatExchange", () => {
  it("redacts every secret by default and keeps the shape curl -v users expect", () => {
    const text = formatExchange(exchange, { showSecrets: false, secrets: [] });
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(text).toContain("> POST https://as.example/token?code=[redacted 12 chars]&x=1");
    expect(text).toContain("> Authorization: Basic [redacted");
    expect(text).toContain("redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb");
    expect(text).toContain('"token_type": "Bearer"');
    expect(text).toContain("< HTTP 200 OK");
    expect(text).toContain("* 12 ms");
  });

  it("scrubs known literal secrets wherever they appear", () => {
    const odd: HttpExchange = { ...exchange, response: { ...exchange.response!, body: "echo: shh-secret", headers: {} } };
    expect(formatExchange(odd, { showSecrets: false, secrets: ["shh-secret"] })).not.toContain("shh-secret");
  });

  it("shows everything with showSecrets", () => {
    const text = formatExchange(exchange, { showSecrets: true, secrets: ["shh-secret"] });
    for (const secret of SECRETS) expect(text).toContain(secret);
  });
});
