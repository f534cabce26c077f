import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTempDir } from "./temp.js";

const NEW_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];

/**
 * A throwaway PKI for the mutual-TLS tests (RFC 8705), made with openssl in a temp folder of the
 * test file: a CA, the server's certificate for 127.0.0.1, client certificates the CA issues
 * (tls_client_auth) and self-signed ones (self_signed_tls_client_auth). Files are NAME.pem and
 * NAME.key; `at` names them before they exist, so flag lists can be built at module level.
 */
export function testPki(label: string) {
  const dir = makeTempDir(label);
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  return {
    dir,
    at,
    openssl,
    /** The CA (ca.pem, ca.key) and the server's certificate for 127.0.0.1 (server.pem, server.key). */
    makeCa(subject = "/CN=oauth-cli test CA"): void {
      openssl("req", "-x509", ...NEW_KEY, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", subject);
      writeFileSync(at("san.ext"), "subjectAltName=IP:127.0.0.1\n");
      this.issue("server", "/CN=127.0.0.1", ["-extfile", "san.ext"]);
    },
    /** A certificate the CA issues. */
    issue(name: string, subject: string, extra: string[] = []): void {
      openssl("req", "-new", ...NEW_KEY, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject);
      openssl("x509", "-req", "-in", `${name}.csr`, "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${name}.pem`, "-days", "2", ...extra);
    },
    /** A self-signed certificate. */
    selfSigned(name: string, subject: string): void {
      openssl("req", "-x509", ...NEW_KEY, "-keyout", `${name}.key`, "-out", `${name}.pem`, "-days", "2", "-subj", subject);
    },
  };
}
