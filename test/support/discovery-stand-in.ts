import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";

/**
 * A discovery document served by a stand-in for the tests of one describe block: for metadata no
 * real server here publishes (oidc-provider has no mtls_endpoint_aliases). `docFor` gets the
 * stand-in's own issuer URL; every other path is 404. Returns that issuer, once started.
 */
export function useDiscoveryStandIn(docFor: (issuer: string) => Record<string, unknown>): () => string {
  let server: Server;
  let issuer: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url?.startsWith("/.well-known/")) res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(docFor(issuer)));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return () => issuer;
}
