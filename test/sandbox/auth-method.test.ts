import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { startSandboxCommand } from "../support/sandbox-command.js";

/** A client-credentials run as sandbox-basic / sandbox-post with the given --auth-method. */
function clientCredentials(issuer: string, client: "sandbox-basic" | "sandbox-post", authMethod: string) {
  return runCli(["client-credentials", "--issuer", issuer, "--client-id", client, "--auth-method", authMethod, "--scope", "api:read", "-o", "json"], {
    env: { OAUTH_CLIENT_SECRET: `${client}-secret` },
  });
}

describe("the sandbox enforces each client's registered token_endpoint_auth_method", () => {
  it("sandbox-basic refuses the secret in the body, sandbox-post refuses Basic; each takes its own method", async () => {
    const sandbox = await startSandboxCommand(["--port", "0", "-q"]);
    try {
      const basicOk = await clientCredentials(sandbox.issuer, "sandbox-basic", "client_secret_basic");
      expect(basicOk.exitCode, basicOk.stderr).toBe(0);
      expect(JSON.parse(basicOk.stdout)).toHaveProperty("access_token");
      const postOk = await clientCredentials(sandbox.issuer, "sandbox-post", "client_secret_post");
      expect(postOk.exitCode, postOk.stderr).toBe(0);

      const basicWrong = await clientCredentials(sandbox.issuer, "sandbox-basic", "client_secret_post");
      expect(basicWrong.exitCode).toBe(1);
      expect(basicWrong.stderr).toContain("invalid_client");
      expect(basicWrong.stderr).toContain("registered for client_secret_basic, the request used client_secret_post");

      const postWrong = await clientCredentials(sandbox.issuer, "sandbox-post", "client_secret_basic");
      expect(postWrong.exitCode).toBe(1);
      expect(postWrong.stderr).toContain("registered for client_secret_post, the request used client_secret_basic");
      // The diagnosis lists the method mismatch among its causes, with what to try.
      expect(postWrong.stderr).toContain("Basic header vs secret in the body");
      expect(postWrong.stderr).toContain("Retry with `--auth-method client_secret_post`");
    } finally {
      await sandbox.stop();
    }
  });
});
