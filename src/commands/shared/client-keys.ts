import { createPrivateKey, X509Certificate } from "node:crypto";
import { UsageError } from "../../errors/cli-error.js";
import { readBoundedRegularFile, UnsafeFileError } from "../../fs/safe-file.js";
import type { ClientKey } from "../../jwt/client-key.js";
import { PassphraseNeededError, UnusableKeyError } from "../../oauth/key-errors.js";
import { envValue } from "./env.js";
import type { Session } from "./session.js";

/** A key or certificate file is small; /dev/zero or a log file is refused, not read. */
const MAX_KEY_FILE_BYTES = 256 * 1024;
/** Where an encrypted key's passphrase comes from when there is no terminal to ask on. */
export const PASSPHRASE_ENV = "OAUTH_KEY_PASSPHRASE";

function readKeyFile(flag: string, path: string): string {
  try {
    // Keys often live behind symlinks (a secrets mount); the read itself is bounded and regular-file only.
    return readBoundedRegularFile(path, MAX_KEY_FILE_BYTES, { followSymlinks: true }).text;
  } catch (error) {
    if (error instanceof UnsafeFileError && error.problem !== "missing" && error.problem !== "unreadable") throw new UsageError(`${flag}: "${path}" ${error.message}`);
    throw new UsageError(`${flag}: cannot read "${path}" (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
}

/** The passphrase of an encrypted key: env OAUTH_KEY_PASSPHRASE, else a hidden prompt on a terminal. */
async function askPassphrase(session: Session, flag: string, path: string): Promise<string> {
  const fromEnv = envValue(session.ctx.env, PASSPHRASE_ENV);
  if (fromEnv !== undefined) return fromEnv;
  const ctx = session.ctx;
  const prompter = ctx.stdin.isTTY && ctx.stderr.isTTY ? await ctx.prompter() : undefined;
  if (prompter?.password) return prompter.password({ message: `Passphrase for ${path}` });
  throw new UsageError(`${flag}: "${path}" is an encrypted key: set ${PASSPHRASE_ENV} to its passphrase (or run on a terminal to be asked)`);
}

async function withPassphrase<T>(session: Session, flag: string, path: string, read: (passphrase?: string) => Promise<T>): Promise<T> {
  const failed = (error: unknown): never => {
    if (error instanceof UnusableKeyError) throw new UsageError(`${flag}: "${path}" ${error.message}`);
    throw error;
  };
  try {
    return await read(envValue(session.ctx.env, PASSPHRASE_ENV));
  } catch (error) {
    if (!(error instanceof PassphraseNeededError)) return failed(error);
  }
  const passphrase = await askPassphrase(session, flag, path);
  session.addSecret(passphrase);
  return read(passphrase).catch(failed);
}

/** --private-key: the key private_key_jwt signs with. */
export function loadPrivateKey(session: Session, path: string): Promise<ClientKey> {
  const text = readKeyFile("--private-key", path);
  // The JWT layer loads only for a run that signs.
  return withPassphrase(session, "--private-key", path, async (passphrase) => (await import("../../jwt/client-key.js")).readClientKey(text, passphrase));
}

/** The client's TLS identity, the key decrypted in memory so the TLS stack needs no passphrase. */
export interface ClientCertificate {
  readonly cert: string;
  readonly key: string;
  /** The certificate's subject and issuer, for messages. */
  readonly subject: string;
  readonly issuer: string;
}

/** --cert and --key: both PEM, both needed, and the key must be the certificate's. */
export async function loadClientCertificate(session: Session, certPath: string | undefined, keyPath: string | undefined): Promise<ClientCertificate | undefined> {
  if (certPath === undefined && keyPath === undefined) return undefined;
  if (certPath === undefined) throw new UsageError("--key needs --cert: the client certificate (PEM) it belongs to");
  if (keyPath === undefined) throw new UsageError("--cert needs --key: the certificate's private key (PEM)");
  const cert = readKeyFile("--cert", certPath);
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new UsageError(`--cert: "${certPath}" is not a PEM certificate`);
  }
  const keyText = readKeyFile("--key", keyPath);
  const key = await withPassphrase(session, "--key", keyPath, async (passphrase) => {
    if (/ENCRYPTED/.test(keyText) && passphrase === undefined) throw new PassphraseNeededError("is encrypted");
    try {
      return createPrivateKey({ key: keyText, format: "pem", ...(passphrase !== undefined && { passphrase }) });
    } catch (error) {
      const words = `${(error as NodeJS.ErrnoException).code ?? ""} ${(error as Error).message}`;
      throw new UnusableKeyError(/BAD_DECRYPT|bad decrypt/i.test(words) ? "could not be decrypted: wrong passphrase" : "is not a PEM private key");
    }
  });
  if (!x509.checkPrivateKey(key)) throw new UsageError(`--key: "${keyPath}" is not the private key of the certificate in "${certPath}"`);
  const pem = key.export({ format: "pem", type: "pkcs8" }).toString();
  session.addSecret(pem);
  return { cert, key: pem, subject: x509.subject.replace(/\n/g, ", "), issuer: x509.issuer.replace(/\n/g, ", ") };
}
