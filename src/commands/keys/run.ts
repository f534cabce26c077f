import type { Context } from "../../context.js";
import { UsageError } from "../../errors/cli-error.js";
import { createExclusive, UnsafeFileError } from "../../fs/safe-file.js";
import { loadJose } from "../../jwt/jose.js";
import { expandPath } from "../shared/paths.js";
import { KEY_ALGS } from "./flags.js";
import type { KeysGenerateOptions } from "./flags.js";

/**
 * A fresh signing key: the private half to a new 0600 file (O_EXCL|O_NOFOLLOW, so nothing there
 * is replaced or followed), the public half on stdout. jose makes and exports the key.
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-5 (JWK Set)
 * @see https://www.rfc-editor.org/rfc/rfc7638 (thumbprint as kid)
 */
export async function runKeysGenerate(ctx: Context, opts: KeysGenerateOptions): Promise<void> {
  if (opts.out === undefined) throw new UsageError("keys generate needs --out FILE: where to write the private key");
  const alg = opts.alg ?? "ES256";
  if (!(KEY_ALGS as readonly string[]).includes(alg)) throw new UsageError(`--alg: "${alg}" is not one of ${KEY_ALGS.join(", ")}`);
  const jose = await loadJose();
  const { privateKey, publicKey } = await jose.generateKeyPair(alg, { extractable: true, ...(alg === "EdDSA" && { crv: "Ed25519" }) });
  const publicJwk = await jose.exportJWK(publicKey);
  const kid = opts.kid ?? (await jose.calculateJwkThumbprint(publicJwk));
  const registered = { ...publicJwk, kid, use: "sig", alg };
  const asJwk = /\.(json|jwk)$/i.test(opts.out);
  const content = asJwk ? `${JSON.stringify({ ...(await jose.exportJWK(privateKey)), kid, alg }, null, 2)}\n` : await jose.exportPKCS8(privateKey);
  try {
    // Relative to the run's working directory (and ~ expanded), like every path the CLI writes.
    createExclusive(expandPath(ctx, opts.out), content, 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST" || code === "ELOOP") throw new UsageError(`--out: "${opts.out}" already exists; keys generate never overwrites a file`);
    if (error instanceof UnsafeFileError) throw new UsageError(`--out: "${opts.out}" ${error.message}`);
    throw new UsageError(`--out: cannot create "${opts.out}" (${code ?? "error"})`);
  }
  ctx.stdout.write(`${JSON.stringify(opts.print === "jwk" ? registered : { keys: [registered] }, null, 2)}\n`);
  const keyId = asJwk ? "" : ` --key-id ${kid}`;
  ctx.stderr.write(`Wrote the private key to ${opts.out} (0600). Register the public key above with the provider, then authenticate with --auth-method private_key_jwt --private-key ${opts.out}${keyId}\n`);
}
