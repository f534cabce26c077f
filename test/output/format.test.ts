import { describe, expect, it } from "vitest";
import { formatEnv, formatJson, formatPretty } from "../../src/output/format.js";
import { plainStyle } from "../../src/output/style.js";

const tokens = { access_token: "at.x-y_z", token_type: "Bearer", expires_in: 60, expires_at: "2026-01-01T00:01:00.000Z", refresh_token: "rt", scope: "openid profile", custom: "kept" };

describe("output formats", () => {
  it("json: RFC names plus expires_at, unknown fields kept", () => {
    expect(JSON.parse(formatJson(tokens))).toEqual(tokens);
  });

  it("env: lines for eval and $GITHUB_ENV, quoting only what needs it", () => {
    const env = formatEnv(tokens);
    expect(env).toContain("OAUTH_ACCESS_TOKEN=at.x-y_z\n");
    expect(env).toContain("OAUTH_SCOPE='openid profile'\n");
    expect(env).toContain("OAUTH_EXPIRES_IN=60\n");
    expect(formatEnv({ ...tokens, scope: "it's" })).toContain(`OAUTH_SCOPE='it'\\''s'`);
  });

  it("pretty: plain text without colour codes when colour is off", () => {
    const text = formatPretty(tokens, plainStyle);
    expect(text).toContain("Bearer access token");
    expect(text).toContain("at.x-y_z");
    expect(text).not.toMatch(/\u001b\[/);
  });
});
