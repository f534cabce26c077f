import { CliError, UsageError } from "../../errors/cli-error.js";
import { readBoundedRegularFile } from "../../fs/safe-file.js";
import { discover } from "../../oauth/discovery.js";
import type { SignatureKeys } from "../../jwt/inspect.js";
import { fetchJwks, parseJwks } from "../../jwt/keys.js";
import { withFlagNames } from "../shared/parameter-flags.js";
import type { Session } from "../shared/session.js";
import { envValue } from "../shared/env.js";
import type { InspectOptions } from "./flags.js";

/** A JWK Set of a few keys is a few KiB; a megabyte is far beyond any real one. */
const MAX_KEY_FILE_BYTES = 1024 * 1024;

function readFileFlag(flag: string, path: string): string {
  try {
    return readBoundedRegularFile(path, MAX_KEY_FILE_BYTES, { followSymlinks: true }).text;
  } catch (error) {
    throw new UsageError(`${flag}: cannot read "${path}" (${(error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : "error")})`);
  }
}

async function readSecret(session: Session, opts: InspectOptions): Promise<string | undefined> {
  if (opts.secretFile === "-" || opts.secret === "-") return session.readStdin(opts.secretFile === "-" ? "--secret-file" : "--secret", { secret: true });
  if (opts.secretFile !== undefined) {
    const value = readFileFlag("--secret-file", opts.secretFile).replace(/\r?\n$/, "");
    if (value === "") throw new UsageError(`--secret-file: "${opts.secretFile}" is empty`);
    return value;
  }
  return opts.secret ?? envValue(session.ctx.env, "OAUTH_JWT_SECRET");
}

/** Which one key source the flags name; more than one is a usage error, before anything is fetched. */
export function checkKeyFlags(opts: InspectOptions): void {
  const given = [
    opts.secret !== undefined && "--secret",
    opts.secretFile !== undefined && "--secret-file",
    opts.jwksUri !== undefined && "--jwks-uri",
    opts.jwksFile !== undefined && "--jwks-file",
  ].filter((flag): flag is string => typeof flag === "string");
  if (given.length > 1) throw new UsageError(`give one key source, not ${given.join(" and ")}`);
  if (opts.verify === false && given.length > 0) throw new UsageError(`--no-verify checks no signature: drop ${given[0]}`);
}

/**
 * Finds the keys to check signatures with, once per run: a secret, a JWK Set (file or URL), or the
 * jwks_uri of the issuer's discovery document — the --issuer (or the store's) when given, else the
 * token's own iss. Keys from the token's own iss prove only that whoever runs that URL signed it.
 */
export class KeyFinder {
  readonly #session: Session;
  readonly #opts: InspectOptions;
  readonly #byIssuer = new Map<string, SignatureKeys>();
  #fixed: Promise<SignatureKeys | undefined> | undefined;

  constructor(session: Session, opts: InspectOptions) {
    this.#session = session;
    this.#opts = opts;
  }

  async keysFor(issuer: string | undefined, tokenIss: unknown): Promise<SignatureKeys> {
    if (this.#opts.verify === false) return { kind: "skip" };
    this.#fixed ??= this.#fromFlags();
    const fixed = await this.#fixed;
    if (fixed) return fixed;
    const from = issuer ?? (typeof tokenIss === "string" && /^https?:\/\//.test(tokenIss) ? tokenIss : undefined);
    if (from === undefined) return { kind: "none", why: "none: the token names no issuer (iss); give --issuer, --jwks-uri, --jwks-file or --secret, or --no-verify" };
    if (issuer === undefined) this.#session.note(`keys from the discovery document of the token's own iss (${from}); give --issuer to require a particular issuer`);
    const known = this.#byIssuer.get(from);
    if (known) return known;
    let keys: SignatureKeys;
    try {
      const metadata = await withFlagNames(() => discover(from, (url) => this.#session.get(url)));
      keys = typeof metadata.jwks_uri === "string"
        ? await fetchJwks((url) => this.#session.get(url), metadata.jwks_uri)
        : { kind: "none", why: `none: the discovery document of ${from} has no jwks_uri; give --jwks-uri or --jwks-file` };
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      const instead = "To read the token without its issuer's keys: --no-verify (or give --jwks-file PATH).";
      throw new CliError(error.exitCode, error.message, { details: error.details, exchange: error.exchange, hint: error.hint ? `${error.hint} ${instead}` : instead });
    }
    this.#byIssuer.set(from, keys);
    return keys;
  }

  async #fromFlags(): Promise<SignatureKeys | undefined> {
    const opts = this.#opts;
    const secret = await readSecret(this.#session, opts);
    if (secret !== undefined) {
      this.#session.addSecret(secret);
      return { kind: "secret", secret: new TextEncoder().encode(secret), from: opts.secretFile !== undefined ? "--secret-file" : opts.secret !== undefined ? "--secret" : "OAUTH_JWT_SECRET" };
    }
    if (opts.jwksFile !== undefined) {
      const text = readFileFlag("--jwks-file", opts.jwksFile);
      try {
        return { kind: "jwks", jwks: parseJwks(text, `--jwks-file "${opts.jwksFile}"`), from: opts.jwksFile };
      } catch (error) {
        throw new UsageError(error instanceof Error ? error.message : String(error));
      }
    }
    if (opts.jwksUri !== undefined) {
      if (!/^https?:\/\//.test(opts.jwksUri)) throw new UsageError(`--jwks-uri: "${opts.jwksUri}" must be an http(s) URL`);
      return fetchJwks((url) => this.#session.get(url), opts.jwksUri);
    }
    return undefined;
  }
}
