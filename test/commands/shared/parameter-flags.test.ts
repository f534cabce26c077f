import { describe, expect, it } from "vitest";
import { ProtocolError, UsageError } from "../../../src/errors/cli-error.js";
import { nameFlags } from "../../../src/commands/shared/parameter-flags.js";
import { buildAuthorizationUrl } from "../../../src/oauth/authorization-request.js";
import { discover, validateIssuerUrl } from "../../../src/oauth/discovery.js";
import type { HttpExchange } from "../../../src/http/types.js";

/** oauth/ names protocol parameters; the command layer says which flag that is. */
describe("nameFlags", () => {
  const thrown = (step: () => unknown): unknown => {
    try {
      step();
    } catch (error) {
      return error;
    }
    throw new Error("did not throw");
  };

  it("a bad issuer from discovery becomes an --issuer usage error", () => {
    const raw = thrown(() => validateIssuerUrl("not a url")) as Error;
    expect(raw.message).toBe('issuer: "not a url" is not a URL');
    const named = nameFlags(raw) as UsageError;
    expect(named).toBeInstanceOf(UsageError);
    expect(named.message).toBe('--issuer: "not a url" is not a URL');
  });

  it("an extra parameter the authorization request sets itself names the flag that sets it", () => {
    const request = {
      authorizationEndpoint: "https://id.example.com/authorize",
      clientId: "app",
      redirectUri: "http://127.0.0.1:49152/callback",
      state: "s",
      pkce: { method: "none" as const },
    };
    const named = (param: string) => (nameFlags(thrown(() => buildAuthorizationUrl({ ...request, params: [[param, "x"]] }))) as Error).message;
    expect(named("code_challenge_method")).toBe("--param code_challenge_method: set by the command itself; use --pkce");
    expect(named("login_hint")).toMatch(/use --login-hint$/);
    expect(named("response_type")).toBe("--param response_type: set by the command itself (response_type is always code here)");
  });

  it("no metadata at either discovery URL: the hint names --issuer and --token-endpoint", async () => {
    const notFound = async (url: string): Promise<HttpExchange> => ({ request: { method: "GET", url, headers: {} }, response: { status: 404, headers: {}, body: "", truncated: false } }) as unknown as HttpExchange;
    const raw = await discover("https://id.example.com", notFound).catch((error: unknown) => error);
    expect((raw as ProtocolError).hint).not.toMatch(/--/);
    const named = nameFlags(raw) as ProtocolError;
    expect(named).toBeInstanceOf(ProtocolError);
    expect(named.hint).toMatch(/--token-endpoint/);
    expect(named.details.join("\n")).toMatch(/HTTP 404/);
  });

  it("anything else passes through as it is", () => {
    const other = new ProtocolError("x");
    expect(nameFlags(other)).toBe(other);
  });
});
