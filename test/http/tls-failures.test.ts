import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { makeTempDir } from "../support/temp.js";

// Real TLS servers with certificates made by the system's openssl, one per way a certificate can be wrong.
const dir = makeTempDir("tls-failures");
const file = (name: string) => join(dir, name);
const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "ignore" });
const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

/** A leaf certificate for the key leaf.key signed by our CA, with the given SAN and validity. */
function leaf(name: string, san: string, days: number): string {
  writeFileSync(file(`${name}.ext`), `subjectAltName=${san}\n`);
  // A negative -days gives a certificate whose notAfter is already past (openssl 3.0 has no -not_after).
  openssl("x509", "-req", "-in", file("leaf.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"), "-days", String(days), "-extfile", file(`${name}.ext`), "-out", file(`${name}.pem`));
  return readFileSync(file(`${name}.pem`), "utf8");
}

const TOKEN = JSON.stringify({ access_token: "tls-token", token_type: "Bearer", expires_in: 60 });
const answer = (_req: unknown, res: import("node:http").ServerResponse) => res.writeHead(200, { "content-type": "application/json" }).end(TOKEN);
const servers: Server[] = [];
const ports: Record<string, number> = {};

async function serve(name: string, server: Server): Promise<void> {
  servers.push(server);
  ports[name] = await new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

beforeAll(async () => {
  openssl("req", "-x509", ...EC, "-keyout", file("ca.key"), "-out", file("ca.pem"), "-subj", "/CN=oauth-cli test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign", "-days", "1");
  openssl("req", "-x509", ...EC, "-keyout", file("self.key"), "-out", file("self.pem"), "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1");
  openssl("req", "-new", ...EC, "-keyout", file("leaf.key"), "-subj", "/CN=127.0.0.1", "-out", file("leaf.csr"));
  const key = readFileSync(file("leaf.key"), "utf8");
  const tls = (cert: string, k = key) => createHttpsServer({ key: k, cert }, answer);
  await serve("self", tls(readFileSync(file("self.pem"), "utf8"), readFileSync(file("self.key"), "utf8")));
  await serve("good", tls(leaf("good", "IP:127.0.0.1", 1)));
  await serve("expired", tls(leaf("expired", "IP:127.0.0.1", -1)));
  await serve("wrongName", tls(leaf("wrong-name", "DNS:other.example", 1)));
  await serve("plain", createHttpServer(answer));
  // Mutual TLS over TLS 1.2: the server ends the handshake with an alert when no client certificate comes.
  await serve("mtls", createHttpsServer({ key, cert: leaf("mtls", "IP:127.0.0.1", 1), requestCert: true, rejectUnauthorized: true, ca: readFileSync(file("ca.pem"), "utf8"), maxVersion: "TLSv1.2" }, answer));
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => { s.closeAllConnections?.(); s.close(() => resolve()); })));
});

const cc = (url: string, ...extra: string[]) => runCli(["client-credentials", "--token-endpoint", url, "--client-id", "app", ...extra]);
/** What OpenSSL prints on its own: must never be the whole explanation. */
const RAW_OPENSSL = /ssl3_get_record|error:0A0|routines:|wrong version number/;

function expectExplained(run: { exitCode: number; stderr: string; stdout: string }, sentence: RegExp, hint: RegExp): void {
  expect(run.exitCode).toBe(3);
  expect(run.stdout).toBe("");
  const error = /^error: (.*)$/m.exec(run.stderr)?.[1] ?? "";
  const hintLine = /^hint: (.*)$/m.exec(run.stderr)?.[1] ?? "";
  expect(error).toMatch(sentence);
  expect(hintLine).toMatch(hint);
  expect(run.stderr).not.toMatch(RAW_OPENSSL);
}

describe("TLS failures are explained in words, with the fix that applies", () => {
  it("https:// to a plain-HTTP port: says the port answers plain HTTP and gives the http:// URL", async () => {
    const url = `https://127.0.0.1:${ports.plain}/token`;
    const run = await cc(url);
    expectExplained(run, new RegExp(`this port answers plain HTTP, not HTTPS: use http://127\\.0\\.0\\.1:${ports.plain}/token`), /speaks HTTP without TLS/);
    expect(run.stderr).not.toMatch(/--ca-file/);
  });

  it("http:// to a TLS port: says the port speaks TLS and gives the https:// URL", async () => {
    const run = await cc(`http://127.0.0.1:${ports.good}/token`);
    expectExplained(run, new RegExp(`this port speaks TLS \\(HTTPS\\), not plain HTTP: use https://127\\.0\\.0\\.1:${ports.good}/token`), /change the URL to https:\/\//);
  });

  it("a self-signed certificate: names it, and --ca-file with that certificate is the fix", async () => {
    expectExplained(await cc(`https://127.0.0.1:${ports.self}/token`), /certificate of 127\.0\.0\.1 is self-signed/, /give its certificate with --ca-file PATH/);
    // The hint is true: following it works.
    expect((await cc(`https://127.0.0.1:${ports.self}/token`, "--ca-file", file("self.pem"))).exitCode).toBe(0);
  });

  it("a certificate from an unknown CA: names it, and --ca-file with the CA is the fix", async () => {
    expectExplained(await cc(`https://127.0.0.1:${ports.good}/token`), /issued by a CA that is not trusted here/, /issuing CA's certificate with --ca-file PATH/);
    const fixed = await cc(`https://127.0.0.1:${ports.good}/token`, "--ca-file", file("ca.pem"));
    expect(fixed.exitCode).toBe(0);
    expect(JSON.parse(fixed.stdout).access_token).toBe("tls-token");
  });

  it("a CA file that does not hold the issuer: says the given file does not contain it", async () => {
    const run = await cc(`https://127.0.0.1:${ports.good}/token`, "--ca-file", file("self.pem"));
    expectExplained(run, /issued by a CA that is not trusted here/, new RegExp(`--ca-file given \\(${file("self.pem").replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\\) does not contain it`));
  });

  it("an expired certificate (from a trusted CA): says expired, and that --ca-file cannot help", async () => {
    expectExplained(await cc(`https://127.0.0.1:${ports.expired}/token`, "--ca-file", file("ca.pem")), /certificate of 127\.0\.0\.1 has expired/, /must renew its certificate; --ca-file cannot change that/);
  });

  it("a certificate for another host name (from a trusted CA): names what it is for, and that --ca-file cannot help", async () => {
    const run = await cc(`https://127.0.0.1:${ports.wrongName}/token`, "--ca-file", file("ca.pem"));
    expectExplained(run, /made out for other names than "127\.0\.0\.1" \(it names DNS:other\.example\)/, /--ca-file cannot fix a wrong name/);
  });

  it("a refused handshake (here: a server that requires a client certificate): says so, and that --ca-file cannot help", async () => {
    const run = await cc(`https://127.0.0.1:${ports.mtls}/token`, "--ca-file", file("ca.pem"));
    expectExplained(run, /no TLS version or cipher in common \(or the server wants a client certificate\)/, /requires a client certificate \(mutual TLS, RFC 8705\).*--ca-file cannot change either/);
  });

  it("discovery (--issuer) carries the same sentence and hint", async () => {
    const run = await runCli(["client-credentials", "--issuer", `https://127.0.0.1:${ports.plain}`, "--client-id", "app"]);
    expectExplained(run, /this port answers plain HTTP, not HTTPS: use http:\/\/127\.0\.0\.1/, /speaks HTTP without TLS/);
  });
});
