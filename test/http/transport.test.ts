import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { connect, type AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { makeTempDir } from "../support/temp.js";

const TOKEN = JSON.stringify({ access_token: "tls-token", token_type: "Bearer", expires_in: 60 });

/** A throwaway CA-less self-signed certificate for 127.0.0.1, made with the system's openssl. */
function selfSignedCertificate(): { key: string; cert: string; certFile: string } {
  const dir = makeTempDir("tls");
  const keyFile = join(dir, "key.pem");
  const certFile = join(dir, "cert.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", keyFile, "-out", certFile, "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1"], { stdio: "ignore" });
  return { key: readFileSync(keyFile, "utf8"), cert: readFileSync(certFile, "utf8"), certFile };
}

const listen = (server: Server) => new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
const close = (server: Server) => new Promise<void>((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); });

let tls: { port: number; server: Server; certFile: string };
let proxy: { port: number; server: Server; tunnels: string[] };

beforeAll(async () => {
  const { key, cert, certFile } = selfSignedCertificate();
  const server = createHttpsServer({ key, cert }, (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(TOKEN);
  });
  tls = { server, certFile, port: await listen(server) };

  // A real CONNECT proxy: what HTTPS_PROXY points at in a corporate network.
  const tunnels: string[] = [];
  const proxyServer = createHttpServer((_req, res) => res.writeHead(405).end());
  proxyServer.on("connect", (req, client, head) => {
    tunnels.push(req.url ?? "");
    const [host, port] = (req.url ?? "").split(":");
    const upstream = connect(Number(port), host!, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  proxy = { server: proxyServer, tunnels, port: await listen(proxyServer) };
});

afterAll(async () => {
  await close(tls.server);
  await close(proxy.server);
});

const cc = (...extra: string[]) => ["client-credentials", "--token-endpoint", `https://127.0.0.1:${tls.port}/token`, "--client-id", "app", ...extra];

describe("TLS trust", () => {
  it("an untrusted certificate is a TLS error, exit 3, pointing at --ca-file", async () => {
    const run = await runCli(cc());
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/TLS|certificate/i);
    expect(run.stderr).toMatch(/--ca-file/);
  });

  it("--ca-file makes it trusted", async () => {
    const run = await runCli(cc("--ca-file", tls.certFile));
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout).access_token).toBe("tls-token");
  });

  it("a missing --ca-file is a usage error naming it", async () => {
    const run = await runCli(cc("--ca-file", "/nonexistent.pem"));
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--ca-file: cannot read "\/nonexistent.pem"/);
  });
});

describe("proxies from the environment", () => {
  // The target is on loopback, which goes through a proxy only when OAUTH_CLI_PROXY_LOOPBACK=1 (test/http/proxy.test.ts).
  it("HTTPS_PROXY tunnels the request through the proxy", async () => {
    const before = proxy.tunnels.length;
    const run = await runCli(cc("--ca-file", tls.certFile), { env: { HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`, OAUTH_CLI_PROXY_LOOPBACK: "1" } });
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(proxy.tunnels.slice(before)).toEqual([`127.0.0.1:${tls.port}`]);
  });

  it("NO_PROXY bypasses it", async () => {
    const before = proxy.tunnels.length;
    const run = await runCli(cc("--ca-file", tls.certFile), { env: { HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`, NO_PROXY: "127.0.0.1", OAUTH_CLI_PROXY_LOOPBACK: "1" } });
    expect(run.exitCode).toBe(0);
    expect(proxy.tunnels.length).toBe(before);
  });
});
