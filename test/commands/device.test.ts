import { createServer, type Server } from "node:http";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { makeTempDir } from "../support/temp.js";

/**
 * A stand-in device authorization server, for what oidc-provider (9.x) never does: it defines
 * slow_down but never answers it, never sends `interval`, and answers the waiting codes with 400
 * only. Here each token request gets the next answer of a script, so a test can count the polls
 * and check the waits the CLI chose between them. The whole flow against the real oidc-provider
 * is in device.e2e.test.ts; slow_down from the sandbox (its --device-poll-interval) in
 * test/sandbox/knobs.test.ts.
 */
interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

interface StandIn {
  readonly url: string;
  readonly tokenRequests: URLSearchParams[];
  readonly deviceRequests: URLSearchParams[];
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => { s.closeAllConnections(); s.close(() => resolve()); })));
});

const TOKENS = { access_token: "device-at-1", token_type: "Bearer", expires_in: 3600, refresh_token: "device-rt-1", scope: "openid offline_access" };

async function startStandIn(script: readonly Answer[], device: Record<string, unknown> = {}): Promise<StandIn> {
  const tokenRequests: URLSearchParams[] = [];
  const deviceRequests: URLSearchParams[] = [];
  let base = "";
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(value));
      };
      if (req.url === "/.well-known/oauth-authorization-server") {
        return send(200, { issuer: base, token_endpoint: `${base}/token`, device_authorization_endpoint: `${base}/device/code` });
      }
      if (req.url === "/.well-known/oauth-authorization-server/no-device") return send(200, { issuer: `${base}/no-device`, token_endpoint: `${base}/token` });
      if (req.url === "/device/code") {
        deviceRequests.push(new URLSearchParams(body));
        return send(200, { device_code: "dc-secret-1", user_code: "WDJB-MJHT", verification_uri: `${base}/device`, verification_uri_complete: `${base}/device?user_code=WDJB-MJHT`, expires_in: 1800, interval: 2, ...device });
      }
      if (req.url === "/token") {
        tokenRequests.push(new URLSearchParams(body));
        const answer = script[tokenRequests.length - 1] ?? { status: 500, body: { error: "server_error", error_description: "the script ran out" } };
        return send(answer.status, answer.body);
      }
      send(404, { error: "not_found" });
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: base, tokenRequests, deviceRequests };
}

/** Records every wait the CLI asks for and returns at once: the intervals are the CLI's choice, not timing. */
function recordingSleep(): { waits: number[]; sleep: (ms: number) => Promise<void> } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

const pending = (status = 400): Answer => ({ status, body: { error: "authorization_pending" } });
const slowDown = (status = 400): Answer => ({ status, body: { error: "slow_down" } });

describe("oauth-cli device against a stand-in server (behaviour oidc-provider cannot produce)", () => {
  it("slow_down: every one adds 5 s to the interval for all later polls; pending keeps waiting; tokens end it", async () => {
    const server = await startStandIn([slowDown(), pending(), slowDown(), pending(), { status: 200, body: TOKENS }]);
    const { waits, sleep } = recordingSleep();
    const run = await runCli(["device", "--issuer", server.url, "--client-id", "tv", "--scope", "openid offline_access", "-o", "json"], { sleep });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(server.tokenRequests).toHaveLength(5);
    // interval 2 from the server; +5 after the 1st poll's slow_down, +5 again after the 3rd's.
    expect(waits).toEqual([2000, 7000, 7000, 12_000, 12_000]);
    for (const form of server.tokenRequests) {
      expect(Object.fromEntries(form)).toEqual({ grant_type: "urn:ietf:params:oauth:grant-type:device_code", device_code: "dc-secret-1", client_id: "tv" });
    }
    expect(Object.fromEntries(server.deviceRequests[0]!)).toEqual({ client_id: "tv", scope: "openid offline_access" });
    expect(JSON.parse(run.stdout)).toMatchObject({ access_token: "device-at-1", refresh_token: "device-rt-1" });
    expect(run.stderr).toContain("checking every 7 s from now on");
    expect(run.stderr).toContain("checking every 12 s from now on");
  });

  it("a slow_down that names a longer interval (GitHub's) is taken; a shorter one never undercuts +5 s", async () => {
    const server = await startStandIn([{ status: 200, body: { error: "slow_down", interval: 20 } }, { status: 200, body: { error: "slow_down", interval: 1 } }, { status: 200, body: TOKENS }]);
    const { waits, sleep } = recordingSleep();
    const run = await runCli(["device", "--issuer", server.url, "--client-id", "tv"], { sleep });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(waits).toEqual([2000, 20_000, 25_000]);
  });

  it("without interval in the response, polls every 5 s (RFC 8628 §3.2's default)", async () => {
    const server = await startStandIn([pending(), { status: 200, body: TOKENS }], { interval: undefined });
    const { waits, sleep } = recordingSleep();
    const run = await runCli(["device", "--issuer", server.url, "--client-id", "tv"], { sleep });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(waits).toEqual([5000, 5000]);
  });

  it("a provider's extended codes with 401 (authorization_pending, slow_down), then authorization_expired: explained, exit 1", async () => {
    // The provider documented in the error table we follow answers the waiting codes with 401.
    const server = await startStandIn([pending(401), slowDown(401), { status: 401, body: { error: "authorization_expired", error_description: "The authorization has expired waiting for user to authorize." } }]);
    const { waits, sleep } = recordingSleep();
    const run = await runCli(["device", "--issuer", server.url, "--client-id", "tv"], { sleep });
    expect(run.exitCode).toBe(1);
    expect(server.tokenRequests).toHaveLength(3);
    expect(waits).toEqual([2000, 2000, 7000]);
    expect(run.stderr).toContain("the server answered authorization_expired");
    expect(run.stderr).toMatch(/RFC 8628 §3\.5/);
    expect(run.stderr).toContain("hint: Nobody approved before the code expired");
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("access_denied ends the wait at once: exit 1 with the reason", async () => {
    const server = await startStandIn([pending(), { status: 400, body: { error: "access_denied", error_description: "End-User aborted interaction" } }]);
    const { sleep } = recordingSleep();
    const run = await runCli(["device", "--issuer", server.url, "--client-id", "tv"], { sleep });
    expect(run.exitCode).toBe(1);
    expect(server.tokenRequests).toHaveLength(2);
    expect(run.stderr).toContain("the server answered access_denied");
    expect(run.stderr).toContain("hint: The user declined");
    expect(run.stdout).toBe("");
  });

  it("not a terminal: the code and the complete URI as plain text, no QR, nothing animated", async () => {
    const server = await startStandIn([pending(), { status: 200, body: TOKENS }]);
    const { sleep } = recordingSleep();
    const run = await runCli(["device", "--issuer", server.url, "--client-id", "tv"], { sleep, stderrTTY: false });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain(`    ${server.url}/device\n`);
    expect(run.stderr).toContain("    WDJB-MJHT\n");
    expect(run.stderr).toContain(`    ${server.url}/device?user_code=WDJB-MJHT\n`);
    expect(run.stderr).not.toMatch(/[█▀▄\r]/);
    expect(run.stderr).toContain("Waiting for approval (checking every 2 s; the code expires in 1800 s");
  });

  it("a terminal: a QR code and a live countdown, ticking once a second, cleared at the end", async () => {
    const server = await startStandIn([pending(), { status: 200, body: TOKENS }]);
    const { waits, sleep } = recordingSleep();
    const run = await runCli(["device", "--issuer", server.url, "--client-id", "tv", "-o", "json"], { sleep, stderrTTY: true });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/[█▀▄]{10}/);
    expect(run.stderr).toContain(`Or scan this with a phone camera; it opens ${server.url}/device?user_code=WDJB-MJHT, the code filled in:`);
    // Two 2 s waits, each in 1 s ticks, each tick redrawing the line.
    expect(waits).toEqual([1000, 1000, 1000, 1000]);
    expect(run.stderr.match(/\r\x1b\[2KWaiting for approval · the code expires in \d+:\d\d · next check in \d s/g)).toHaveLength(4);
    expect(run.stderr).toContain("next check in 2 s");
    expect(run.stderr).toContain("next check in 1 s");
    expect(run.stderr.trimEnd().endsWith("Approved.")).toBe(true);
  });

  it("--no-qr: no QR code even on a terminal", async () => {
    const server = await startStandIn([{ status: 200, body: TOKENS }]);
    const { sleep } = recordingSleep();
    const run = await runCli(["device", "--issuer", server.url, "--client-id", "tv", "--no-qr"], { sleep, stderrTTY: true });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/[█▀▄]/);
  });

  it("Ctrl-C while waiting: exit 130, no further poll", async () => {
    const server = await startStandIn([pending(), pending(), pending()]);
    const interrupt = new AbortController();
    // The real timer (no injected sleep): the abort must cut a 2 s wait short.
    const running = runCli(["device", "--issuer", server.url, "--client-id", "tv"], { signal: interrupt.signal });
    while (server.deviceRequests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    interrupt.abort();
    const run = await running;
    expect(run.exitCode).toBe(130);
    expect(server.tokenRequests).toHaveLength(0);
    expect(run.stderr).toContain("interrupted");
  });

  it("-v traces every poll with the wait chosen before it, device_code and user_code redacted", async () => {
    const server = await startStandIn([slowDown(), { status: 200, body: TOKENS }]);
    const { sleep } = recordingSleep();
    const run = await runCli(["device", "--issuer", server.url, "--client-id", "tv", "-v"], { sleep });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain("* poll 1, 2 s after the device authorization");
    expect(run.stderr).toContain("* poll 2, 7 s after the last poll");
    expect(run.stderr).not.toContain("dc-secret-1");
    expect(run.stderr).not.toContain("device-at-1");
    expect(run.stderr).toContain('"device_code": "[redacted');
    expect(run.stderr.split("To sign in")[0]).not.toContain("WDJB-MJHT");
  });

  it("a server that advertises no device endpoint: a usage error naming what to give", async () => {
    const server = await startStandIn([]);
    const run = await runCli(["device", "--issuer", `${server.url}/no-device`, "--client-id", "tv"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`the metadata of ${server.url}/no-device has no device_authorization_endpoint`);
    expect(run.stderr).toContain("--device-authorization-endpoint URL");
    expect(server.tokenRequests).toHaveLength(0);
    const badUrl = await runCli(["device", "--issuer", server.url, "--client-id", "tv", "--device-authorization-endpoint", "not a url"]);
    expect(badUrl.exitCode).toBe(2);
    expect(badUrl.stderr).toContain('--device-authorization-endpoint: "not a url" is not a URL');
  });

  it("interval 0 from the server: still one second between polls, never a tight loop", async () => {
    const server = await startStandIn([pending(), pending(), { status: 200, body: TOKENS }], { interval: 0 });
    const { waits, sleep } = recordingSleep();
    const run = await runCli(["device", "--issuer", server.url, "--client-id", "tv"], { sleep });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(waits).toEqual([1000, 1000, 1000]);
  });

  it("a server that says authorization_pending past expires_in: the CLI stops at the code's expiry itself, exit 1", async () => {
    const server = await startStandIn(Array.from({ length: 50 }, () => pending()), { expires_in: 10, interval: 5 });
    // A clock that moves only when the CLI waits: the expiry is the CLI's own arithmetic.
    let clock = Date.parse("2026-01-01T00:00:00Z");
    const waits: number[] = [];
    const run = await runCli(["device", "--issuer", server.url, "--client-id", "tv"], { now: () => clock, sleep: async (ms) => void (waits.push(ms), (clock += ms)) });
    expect(run.exitCode).toBe(1);
    expect(server.tokenRequests).toHaveLength(2);
    expect(waits).toEqual([5000, 5000]);
    expect(run.stderr).toContain("the device code expired (after 10 s) and the server still answers authorization_pending");
  });

  it("--open opens verification_uri_complete; a failed open is a note, the flow goes on", async () => {
    const server = await startStandIn([{ status: 200, body: TOKENS }, { status: 200, body: TOKENS }, { status: 200, body: TOKENS }]);
    const { sleep } = recordingSleep();
    const opened: string[] = [];
    const run = await runCli(["device", "--issuer", server.url, "--client-id", "tv", "--open"], { sleep, openBrowser: async (url) => void opened.push(url) });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(opened).toEqual([`${server.url}/device?user_code=WDJB-MJHT`]);
    const failed = await runCli(["device", "--issuer", server.url, "--client-id", "tv", "--open"], { sleep });
    expect(failed.exitCode, failed.stderr).toBe(0);
    expect(failed.stderr).toContain("note: could not open a browser");
    const none: string[] = [];
    await runCli(["device", "--issuer", server.url, "--client-id", "tv"], { sleep, openBrowser: async (url) => void none.push(url) });
    expect(none).toEqual([]);
  });

  it("--help shows examples and the command's own exit codes", async () => {
    const run = await runCli(["device", "--help"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("oauth-cli device --issuer https://id.example.com --client-id tv-app");
    expect(run.stdout).toContain("--device-authorization-endpoint <url>");
    expect(run.stdout).toMatch(/Exit codes of device:[\s\S]*\n {2}1 {4}the server ended the flow: access_denied/);
    expect(run.stdout).toContain("130");
  });

  it("--profile fills issuer, client id and scope like for the other commands", async () => {
    const server = await startStandIn([{ status: 200, body: TOKENS }]);
    const env = { XDG_CONFIG_HOME: join(makeTempDir("device-config"), "xdg") };
    expect((await runCli(["profile", "set", "tv", "--issuer", server.url, "--client-id", "tv-app", "--scope", "openid"], { env })).exitCode).toBe(0);
    const { sleep } = recordingSleep();
    const run = await runCli(["device", "--profile", "tv", "-o", "token"], { env, sleep });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(Object.fromEntries(server.deviceRequests[0]!)).toEqual({ client_id: "tv-app", scope: "openid" });
  });

  it("missing flags: exit 2 naming each", async () => {
    const run = await runCli(["device"], { env: {} });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("--issuer URL (or --device-authorization-endpoint URL with --token-endpoint URL)");
    expect(run.stderr).toContain("--client-id ID");
  });

  it("explicit endpoints, no discovery: the device and token endpoints given are the ones used", async () => {
    const server = await startStandIn([{ status: 200, body: TOKENS }]);
    const { sleep } = recordingSleep();
    const run = await runCli(["device", "--device-authorization-endpoint", `${server.url}/device/code`, "--token-endpoint", `${server.url}/token`, "--client-id", "tv", "-o", "token"], { sleep });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe("device-at-1");
  });

  it("a device authorization response without user_code: exit 4 naming the field", async () => {
    const server = await startStandIn([], { user_code: undefined });
    const run = await runCli(["device", "--issuer", server.url, "--client-id", "tv"]);
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toContain('the device authorization response\'s "user_code" is missing');
  });
});
