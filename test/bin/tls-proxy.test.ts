import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { connect, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The parts of undici the bundle defers or rewrites (build.mjs) on the paths that use them: TLS with
 * an extra CA (--ca-file), and a CONNECT tunnel through HTTPS_PROXY. Real servers on 127.0.0.1 with a
 * CA made here by openssl; the certificate is for idp.test, a name that resolves nowhere, so the
 * request can only arrive through the proxy.
 */
const BIN = fileURLToPath(new URL("../../bin/oauth-cli.js", import.meta.url));

let dir: string;
let caFile: string;
let idp: Server;
let proxy: Server;
const seen: { host?: string; authorization?: string; body: string }[] = [];
const tunnels: string[] = [];

function openssl(...args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
}

const listen = (server: Server) => new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "oauth-cli-tls-test-"));
  openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=oauth-cli test CA");
  openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "idp.key", "-out", "idp.csr", "-subj", "/CN=idp.test");
  writeFileSync(join(dir, "idp.ext"), "subjectAltName=DNS:idp.test,IP:127.0.0.1\n");
  openssl("x509", "-req", "-in", "idp.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "idp.pem", "-days", "2", "-extfile", "idp.ext");
  caFile = join(dir, "ca.pem");

  idp = createHttpsServer({ key: readFileSync(join(dir, "idp.key")), cert: readFileSync(join(dir, "idp.pem")) }, (req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk));
    req.on("end", () => {
      seen.push({ host: req.headers.host, authorization: req.headers.authorization, body });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ access_token: "tls-token", token_type: "Bearer", expires_in: 60 }));
    });
  });
  const idpPort = await listen(idp);

  // A stand-in forward proxy: it tunnels every CONNECT to the server above, whatever host was asked for.
  proxy = createHttpServer((_, res) => res.writeHead(405).end());
  proxy.on("connect", (req, client, head) => {
    tunnels.push(req.url ?? "");
    const upstream = connect(idpPort, "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  await listen(proxy);
});

afterAll(async () => {
  proxy?.closeAllConnections?.();
  idp?.closeAllConnections?.();
  await Promise.all([proxy, idp].map((server) => new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)))));
  rmSync(dir, { recursive: true, force: true });
});

function runBin(args: string[], env: Record<string, string>): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const base = { PATH: process.env.PATH ?? "", NO_COLOR: "1", TMPDIR: dir, OAUTH_CLIENT_SECRET: "s3cret", NO_PROXY: "" };
    execFile(process.execPath, [BIN, ...args], { env: { ...base, ...env } }, (error, stdout, stderr) => {
      resolve({ exitCode: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const tokenArgs = (url: string, ...more: string[]) => ["client-credentials", "--token-endpoint", url, "--client-id", "app", "-o", "json", ...more];

describe("HTTPS from the built binary", () => {
  it("trusts the CA given with --ca-file", async () => {
    const port = (idp.address() as AddressInfo).port;
    const run = await runBin(tokenArgs(`https://127.0.0.1:${port}/token`, "--ca-file", caFile), {});
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ access_token: "tls-token" });
    expect(seen.at(-1)?.authorization).toBe(`Basic ${Buffer.from("app:s3cret").toString("base64")}`);
  });

  it("without --ca-file, fails on the certificate with a hint and the network exit code", async () => {
    const port = (idp.address() as AddressInfo).port;
    const run = await runBin(tokenArgs(`https://127.0.0.1:${port}/token`), {});
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/--ca-file/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("tunnels through HTTPS_PROXY with CONNECT, verifying the target with --ca-file", async () => {
    const before = seen.length;
    const run = await runBin(tokenArgs("https://idp.test/token", "--ca-file", caFile), { HTTPS_PROXY: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` });
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ access_token: "tls-token" });
    expect(tunnels.at(-1)).toBe("idp.test:443");
    expect(seen.slice(before)).toEqual([expect.objectContaining({ host: "idp.test", body: "grant_type=client_credentials" })]);
  });
});
