import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ClientConfig } from "../../../src/commands/shared/resolve.js";
import { Session } from "../../../src/commands/shared/session.js";
import { sendTokenRequest, type TokenRequest } from "../../../src/commands/shared/token-request.js";
import { NetworkError, OAuthServerError } from "../../../src/errors/cli-error.js";
import { createTestContext } from "../../support/cli.js";
import { BASIC, startTestProvider, type Sandbox } from "../../support/provider.js";
import { type SeedServer, startSeedServer } from "../../support/seed-server.js";
import { tempDir } from "../../store/support.js";

/**
 * sendTokenRequest is the plain step: build, send, parse, and hand back {exchange, outcome}. Even
 * with --verbose it prints nothing, writes no file and throws for no refusal: the command decides.
 */
let provider: Sandbox;
let seed: SeedServer;
beforeAll(async () => {
  [provider, seed] = await Promise.all([startTestProvider(), startSeedServer()]);
});
afterAll(async () => {
  await Promise.all([provider?.close(), seed?.close()]);
});

const basic: ClientConfig = { clientId: BASIC.id, clientSecret: BASIC.secret, authMethod: "client_secret_basic", bodyFormat: "form" };

function verboseRun() {
  const state = tempDir("oauth-cli-state-");
  const ctx = createTestContext({ env: { XDG_STATE_HOME: state } });
  const session = new Session(ctx, { verbose: true, showSecrets: false, timeoutMs: 10_000 });
  const quiet = () => {
    expect(ctx.out()).toBe("");
    expect(ctx.err()).toBe("");
    expect(existsSync(join(state, "oauth-cli"))).toBe(false);
  };
  return { session, quiet };
}

const at = (tokenEndpoint: string, client: ClientConfig, grant: Record<string, string>): TokenRequest => ({ endpoints: { tokenEndpoint }, client, grant });

describe("sendTokenRequest", () => {
  it("tokens from the real provider, the exchange with them, and no output", async () => {
    const { session, quiet } = verboseRun();
    const step = await sendTokenRequest(session, at(`${provider.issuer}/token`, basic, { grant_type: "client_credentials" }));
    expect(step.outcome.kind).toBe("tokens");
    expect(step.exchange.response?.status).toBe(200);
    expect(step.outcome.kind === "tokens" && step.outcome.tokens.access_token).toMatch(/\S/);
    quiet();
  });

  it("a refusal is a value, not a throw, and spending a refresh token records nothing by itself", async () => {
    const { session, quiet } = verboseRun();
    const step = await sendTokenRequest(session, at(`${provider.issuer}/token`, basic, { grant_type: "refresh_token", refresh_token: "never-issued" }));
    expect(step.outcome.kind).toBe("failed");
    const error = step.outcome.kind === "failed" ? step.outcome.error : undefined;
    expect(error).toBeInstanceOf(OAuthServerError);
    expect((error as OAuthServerError).report.error).toBe("invalid_grant");
    expect((error as OAuthServerError).diagnosis).toBeUndefined(); // the command adds what it knows
    expect(step.exchange.response?.status).toBe(400);
    quiet();
  });

  it("a refused connection is a NetworkError value with the exchange that failed", async () => {
    const { session, quiet } = verboseRun();
    const step = await sendTokenRequest(session, at("http://127.0.0.1:1/token", basic, { grant_type: "client_credentials" }));
    expect(step.outcome.kind === "failed" && step.outcome.error).toBeInstanceOf(NetworkError);
    expect(step.exchange.failure?.kind).toBe("refused");
    quiet();
  });

  it("the parser's notes come back in the outcome instead of being printed (legacy envelope)", async () => {
    const { session, quiet } = verboseRun();
    const step = await sendTokenRequest(session, at(`${seed.url}/legacy/token`, basic, { grant_type: "client_credentials" }));
    expect(step.outcome.kind).toBe("tokens");
    expect(step.outcome.kind === "tokens" && step.outcome.notes.join("\n")).toMatch(/envelope|success/i);
    quiet();
  });
});
