import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { ESCAPES, startHostileServer, type HostileServer } from "./hostile-server.js";
import { RAW_CONTROL } from "./support.js";

/**
 * Text a server (or a paste) supplies reaches the terminal with every control character shown,
 * never obeyed: an OSC could retitle the window or plant a hyperlink, a CSI clear the screen or hide
 * text, a bare CR or a line break forge a line of ours. One renderer (src/output/terminal.ts).
 */

let server: HostileServer;
beforeAll(async () => {
  server = await startHostileServer();
});
afterAll(async () => server.close());

const cc = (path: string, ...extra: string[]) => ["client-credentials", "--token-endpoint", `${server.url}${path}`, "--client-id", "app", "--auth-method", "none", ...extra];

/** Our own colour codes (chalk level 1) are the only escapes allowed, and only with colour on. */
const OWN_SGR = /\u001b\[(?:1|2|22|31|32|33|36|39)m/g;

function expectShownNotObeyed(text: string, colour = false): void {
  const rest = colour ? text.replace(OWN_SGR, "") : text;
  expect(rest).not.toMatch(RAW_CONTROL);
  // A forged line of ours never starts a line.
  expect(rest).not.toMatch(/^hint: run curl/m);
}

describe("server text with terminal escapes", () => {
  for (const path of ["/escape-json/token", "/escape-text/token", "/nul-bytes/token"]) {
    for (const verbose of [[], ["-v"]]) {
      it(`${path} ${verbose.join("")}: shown, not obeyed`, async () => {
        const run = await runCli(cc(path, ...verbose));
        expect([1, 4]).toContain(run.exitCode);
        expectShownNotObeyed(run.stderr);
        expectShownNotObeyed(run.stdout);
        if (path !== "/nul-bytes/token") expect(run.stderr).toContain("\\u001b]0;pwned\\u0007");
      });
    }
  }

  it("with colour on a terminal, only our own colour codes pass", async () => {
    const run = await runCli(cc("/escape-json/token", "-v"), { stderrTTY: true, env: { NO_COLOR: undefined, FORCE_COLOR: "1" } });
    expect(run.stderr).toMatch(OWN_SGR); // colour is on
    expectShownNotObeyed(run.stderr, true);
    expect(run.stderr).toContain("\\u001b[2J");
  });

  it("tokens with escapes: pretty on a terminal shows them; JSON keeps the value, escaped", async () => {
    const pretty = await runCli(cc("/escape-tokens/token", "-o", "pretty"), { stdoutTTY: true });
    expect(pretty.exitCode).toBe(0);
    expect(pretty.stdout).toContain("hostile-access-token-1");
    expectShownNotObeyed(pretty.stdout);
    const json = await runCli(cc("/escape-tokens/token", "-o", "json"));
    expect(json.exitCode).toBe(0);
    expect(json.stdout).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(json.stdout).scope).toBe(`openid${ESCAPES}`);
  });
});

describe("a redirect with escapes in iss, through the loopback listener", () => {
  it("the note that quotes it is one line, its escapes shown; the tokens are printed", async () => {
    const run = await runCli(
      ["authorize", "--authorization-endpoint", `${server.url}/authorize`, "--token-endpoint", `${server.url}/tokens/token`, "--client-id", "app", "--auth-method", "none", "-o", "token", "--wait", "20"],
      {
        openBrowser: async (url) => {
          const auth = new URL(url);
          const redirect = new URL(auth.searchParams.get("redirect_uri")!);
          redirect.search = new URLSearchParams({ code: "hostile-code-1", state: auth.searchParams.get("state")!, iss: `https://as.example${ESCAPES}` }).toString();
          await fetch(redirect);
        },
      },
    );
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe("hostile-access-token-1\n");
    expect(run.stderr).toContain("\\u001b]0;pwned");
    expectShownNotObeyed(run.stderr);
  });
});

describe("decode-error input with terminal escapes", () => {
  const inputs: Record<string, string> = {
    json: JSON.stringify({ error: `invalid_grant${ESCAPES}`, error_description: `denied${ESCAPES}`, error_uri: `https://as.example/${ESCAPES}`, state: ESCAPES }),
    redirect: `http://127.0.0.1:8080/callback?error=access_denied${encodeURIComponent(ESCAPES)}&error_description=${encodeURIComponent(ESCAPES)}&error_uri=${encodeURIComponent(`https://x/${ESCAPES}`)}&state=${encodeURIComponent(ESCAPES)}`,
    "www-authenticate": `Bearer error="invalid_token${ESCAPES.replace(/"/g, "")}", error_description="${ESCAPES.replace(/"/g, "")}"`,
    "curl -i": `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nX-Request-Id: \u001b]0;t\u0007\r\n\r\n{"error":"invalid_client\u001b[2J","error_description":"x\u009b2J"}`,
    text: `AADSTS700016: Application not found ${ESCAPES}`,
    "bare code": `invalid_grant${ESCAPES}`,
  };
  for (const [name, input] of Object.entries(inputs)) {
    it(`${name}: pretty and --json`, async () => {
      const pretty = await runCli(["decode-error"], { stdin: input });
      expect([0, 2]).toContain(pretty.exitCode);
      expectShownNotObeyed(pretty.stdout);
      expectShownNotObeyed(pretty.stderr);
      const json = await runCli(["decode-error", "--json"], { stdin: input });
      expect([0, 2]).toContain(json.exitCode);
      expect(json.stdout + json.stderr).not.toMatch(RAW_CONTROL);
      if (json.exitCode === 0) JSON.parse(json.stdout);
    });
  }

  it("the redirect's state and description are shown escaped", async () => {
    const run = await runCli(["decode-error", inputs.redirect!]);
    // The code itself carries the escapes, so it is no code the catalogue knows: exit 2, advice still printed.
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toMatch(/state: .*\\u001b\]0;pwned/);
    expect(run.stdout).toContain("\\u009b31m");
  });
});
