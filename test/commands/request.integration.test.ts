import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { completeLoginHttp } from "../support/login.js";
import { authorizationUrl, introspect, pkcePair, PUBLIC, startTestProvider, type Sandbox } from "../support/provider.js";
import { makeTempDir } from "../support/temp.js";

// `oauth-cli request` against real protected resources: the sandbox's userinfo endpoint, and a
// small resource server below that accepts a token only when the real oidc-provider, asked by
// introspection, says it is active (for binary and large bodies and insufficient_scope, which
// userinfo cannot show).
let sandbox: Sandbox;
let api: Server;
let apiUrl: string;
const REDIRECT = "http://127.0.0.1:8123/callback";
const BINARY = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) % 256));
const LARGE_MIB = 12;
let seenElsewhere = 0;

beforeAll(async () => {
  sandbox = await startTestProvider();
  api = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      const info = token ? await introspect(sandbox, token) : { active: false };
      if (!info.active) {
        res.writeHead(401, { "www-authenticate": 'Bearer realm="api", error="invalid_token", error_description="the access token is not active"' }).end();
        return;
      }
      const scopes = String(info.scope ?? "").split(" ");
      if (req.url === "/write" && !scopes.includes("api:write")) {
        res.writeHead(403, { "www-authenticate": 'Bearer realm="api", error="insufficient_scope", scope="api:write"', "content-type": "application/json" }).end('{"message":"needs api:write"}');
      } else if (req.url === "/binary") {
        res.writeHead(200, { "content-type": "application/octet-stream" }).end(BINARY);
      } else if (req.url === "/large") {
        // Far more than the 4 MiB cap of the token requests' client: streamed, never held whole.
        res.writeHead(200, { "content-type": "application/octet-stream" });
        const mib = Buffer.alloc(1024 * 1024, 0x61);
        for (let i = 0; i < LARGE_MIB; i++) if (!res.write(mib)) await new Promise((r) => res.once("drain", r));
        res.end();
      } else if (req.url === "/broken") {
        // The connection drops half-way through a declared body: no real server does this on purpose.
        res.writeHead(200, { "content-type": "application/octet-stream", "content-length": "100000" });
        res.write(Buffer.alloc(1000, 0x62), () => res.destroy());
      } else if (req.url === "/moved") {
        res.writeHead(302, { location: `${apiUrl}/elsewhere`, "content-type": "text/html" }).end("<a>moved</a>");
      } else if (req.url === "/elsewhere") {
        seenElsewhere++;
        res.writeHead(200).end("followed");
      } else if (req.url === "/echo") {
        res.writeHead(200, { "content-type": "application/json", "set-cookie": "session=very-secret-cookie" }).end(JSON.stringify({ method: req.method, contentType: req.headers["content-type"], custom: req.headers["x-custom"], body: Buffer.concat(chunks).toString() }));
      } else {
        res.writeHead(500, { "content-type": "text/plain" }).end("it broke");
      }
    });
  });
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterAll(async () => {
  api?.closeAllConnections();
  api?.close();
  await sandbox?.close();
});

async function freshStore(): Promise<string> {
  const { verifier, challenge } = pkcePair();
  const final = new URL(await completeLoginHttp(authorizationUrl(sandbox, { redirectUri: REDIRECT, challenge, scope: "openid profile offline_access" })));
  const store = join(makeTempDir("request"), "tokens.json");
  const run = await runCli(["exchange", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--code", final.searchParams.get("code")!, "--redirect-uri", REDIRECT, "--code-verifier", verifier, "--store", store]);
  expect(run.exitCode, run.stderr).toBe(0);
  return store;
}
const stored = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, string>;

describe("oauth-cli request", () => {
  it("calls the provider's userinfo (a real protected resource) with the stored token: body on stdout, exit 0", async () => {
    const store = await freshStore();
    const run = await runCli(["request", `${sandbox.issuer}/me`, "--store", store]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ sub: "alice" });
    expect(run.stderr).toBe("");
  });

  it("refreshes a token within --min-ttl first, saving the rotated refresh token as refresh --store does", async () => {
    const store = await freshStore();
    const before = stored(store);
    const run = await runCli(["request", `${sandbox.issuer}/me`, "--store", store, "--min-ttl", "7200"]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain("refreshed it first (the server rotated the refresh token)");
    const after = stored(store);
    expect(after.access_token).not.toBe(before.access_token);
    expect(after.refresh_token).not.toBe(before.refresh_token);
    expect(await introspect(sandbox, after.refresh_token!)).toMatchObject({ active: true });
    expect(await introspect(sandbox, after.access_token!)).toMatchObject({ active: true, sub: "alice" });
  });

  it("writes a binary body as is, to stdout and to --out (mode 0600)", async () => {
    const store = await freshStore();
    const run = await runCli(["request", `${apiUrl}/binary`, "--store", store]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.ctx.outBytes().equals(BINARY)).toBe(true);
    const out = join(makeTempDir("out"), "body.bin");
    const saved = await runCli(["request", `${apiUrl}/binary`, "--access-token", "-", "--out", out], { stdin: stored(store).access_token });
    expect(saved.exitCode, saved.stderr).toBe(0);
    expect(readFileSync(out).equals(BINARY)).toBe(true);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(saved.stdout).toBe("");
  });

  it("does not print a binary body on a terminal: exit 2 naming --out; text on a terminal is fine", async () => {
    const store = await freshStore();
    const run = await runCli(["request", `${apiUrl}/binary`, "--store", store], { stdoutTTY: true });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("the response body is binary (application/octet-stream): not printed on a terminal");
    expect(run.stderr).toContain("--out FILE");
    expect(run.stdout).toBe("");
    const text = await runCli(["request", `${apiUrl}/echo`, "--store", store], { stdoutTTY: true });
    expect(text.exitCode, text.stderr).toBe(0);
    expect(JSON.parse(text.stdout)).toMatchObject({ method: "GET" });
  });

  it(`streams a ${LARGE_MIB} MiB body whole (no size cap)`, async () => {
    const store = await freshStore();
    const run = await runCli(["request", `${apiUrl}/large`, "--store", store]);
    expect(run.exitCode, run.stderr).toBe(0);
    const body = run.ctx.outBytes();
    expect(body.length).toBe(LARGE_MIB * 1024 * 1024);
    expect(createHash("sha256").update(body).digest("hex")).toBe(createHash("sha256").update(Buffer.alloc(LARGE_MIB * 1024 * 1024, 0x61)).digest("hex"));
  });

  it("-X PUT -d @file -H: the body, a JSON content type and the header arrive; -i shows the head on stderr, redacted", async () => {
    const store = await freshStore();
    const file = join(makeTempDir("data"), "item.json");
    writeFileSync(file, '{"name":"widget"}');
    const run = await runCli(["request", `${apiUrl}/echo`, "-X", "PUT", "-d", `@${file}`, "-H", "X-Custom: yes", "-i", "--store", store]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ method: "PUT", contentType: "application/json", custom: "yes", body: '{"name":"widget"}' });
    expect(run.stderr).toMatch(/^HTTP 200 OK\n/);
    expect(run.stderr).toContain("set-cookie: [redacted");
    expect(run.stderr).not.toContain("very-secret-cookie");
  });

  it("-v traces the request with the bearer token redacted", async () => {
    const store = await freshStore();
    const run = await runCli(["request", `${apiUrl}/echo`, "-v", "--store", store]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain("> GET");
    expect(run.stderr).toContain("> Authorization: Bearer [redacted");
    expect(run.stderr).not.toContain(stored(store).access_token);
  });

  it("a 403 insufficient_scope is explained with the scope the API asks for; exit 1, the body still on stdout", async () => {
    const store = await freshStore();
    const run = await runCli(["request", `${apiUrl}/write`, "--store", store]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe('{"message":"needs api:write"}');
    expect(run.stderr).toMatch(/insufficient_scope/);
    expect(run.stderr).toContain("the resource asks for scope: api:write");
    expect(run.stderr).toMatch(/RFC 6750/);
  });

  it("a revoked token: 401 invalid_token explained; --out is left untouched", async () => {
    const store = await freshStore();
    const token = stored(store).access_token!;
    expect((await runCli(["revoke", "--store", store])).exitCode).toBe(0);
    const out = join(makeTempDir("out"), "keep.txt");
    writeFileSync(out, "previous content");
    const run = await runCli(["request", `${apiUrl}/binary`, "--access-token", "-", "--out", out], { stdin: token });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/invalid_token/);
    expect(run.stderr).toContain("the access token is not active");
    expect(readFileSync(out, "utf8")).toBe("previous content");
    // And the store itself now says it is revoked rather than sending its dead token.
    const fromStore = await runCli(["request", `${apiUrl}/binary`, "--store", store, "--min-ttl", "0"]);
    expect(fromStore.exitCode).toBe(2);
    expect(fromStore.stderr).toContain("were revoked at");
  });

  it("a redirect is not followed (the token goes only where pointed): exit 0, a note, --out left as it was", async () => {
    const store = await freshStore();
    const out = join(makeTempDir("out"), "keep.txt");
    writeFileSync(out, "previous content");
    const run = await runCli(["request", `${apiUrl}/moved`, "--store", store, "--out", out]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain(`HTTP 302: not followed (Location: ${apiUrl}/elsewhere)`);
    expect(readFileSync(out, "utf8")).toBe("previous content");
    expect(seenElsewhere).toBe(0);
  });

  it("a connection that breaks mid-body: exit 3 naming how far it got; --out keeps the old file, no temp file left", async () => {
    const store = await freshStore();
    const folder = makeTempDir("out");
    const out = join(folder, "keep.bin");
    writeFileSync(out, "previous content");
    const run = await runCli(["request", `${apiUrl}/broken`, "--store", store, "--out", out]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/the connection to the API broke after \d+ bytes of the body/);
    expect(run.stderr).toContain(`${out} was left as it was`);
    expect(readFileSync(out, "utf8")).toBe("previous content");
    expect(readdirSync(folder)).toEqual(["keep.bin"]);
  });

  it("a 500 is exit 1 naming the status; bad input is exit 2 naming the flag", async () => {
    const store = await freshStore();
    const run = await runCli(["request", `${apiUrl}/nothing-here`, "--store", store]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe("it broke");
    expect(run.stderr).toContain("the API answered HTTP 500");
    for (const [argv, message] of [
      [["request", "not a url", "--store", store], 'the URL "not a url" is not a URL'],
      [["request", `${apiUrl}/echo`, "-H", "Authorization: Bearer x", "--store", store], "--header: Authorization carries the access token"],
      [["request", `${apiUrl}/echo`], "missing --access-token TOKEN"],
      [["request", `${apiUrl}/echo`, "-d", "@/nonexistent/file", "--store", store], '--data: cannot read "/nonexistent/file"'],
    ] as const) {
      const bad = await runCli(argv);
      expect(bad.exitCode, argv.join(" ")).toBe(2);
      expect(bad.stderr).toContain(message);
    }
  });
});
