import { dirname, isAbsolute, join, resolve } from "node:path";
import type { Context } from "../context.js";
import { UsageError } from "../errors/cli-error.js";
import { ensurePrivateDir, readBoundedRegularFile, UnsafeFileError, writeFileAtomically } from "../fs/safe-file.js";
import { PROFILE_FIELDS, type ProfileField } from "./fields.js";

export type Profile = Readonly<Record<string, string | number>>;

export interface ConfigFile {
  readonly version: 1;
  readonly profiles: Readonly<Record<string, Profile>>;
}

const EMPTY: ConfigFile = { version: 1, profiles: {} };
/** Profiles are a few lines each. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * `--config PATH`, else `$XDG_CONFIG_HOME/oauth-cli/config.json`, else `~/.config/oauth-cli/config.json`.
 * @see https://specifications.freedesktop.org/basedir-spec/latest/
 */
export function resolveConfigPath(ctx: Context, override: string | undefined): string {
  if (override !== undefined && override !== "") return isAbsolute(override) ? override : resolve(ctx.cwd, override);
  const xdg = ctx.env.XDG_CONFIG_HOME;
  // The spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const base = xdg && isAbsolute(xdg) ? xdg : join(ctx.homedir, ".config");
  return join(base, "oauth-cli", "config.json");
}

function invalid(path: string, what: string): UsageError {
  return new UsageError(`the config file ${path} is unusable: ${what}`, {
    hint: "Fix or move the file; it was left untouched. `oauth-cli profile set` writes a valid one.",
  });
}

/** The config, or an empty one when the file does not exist. Anything malformed is an error naming the file. */
export function readConfig(path: string): ConfigFile {
  let text: string;
  try {
    // A dotfile manager may link it: symlinks are followed, but only to a regular file of sane size.
    text = readBoundedRegularFile(path, MAX_CONFIG_BYTES, { followSymlinks: true }).text;
  } catch (error) {
    if (error instanceof UnsafeFileError && error.problem === "missing") return EMPTY;
    if (error instanceof UnsafeFileError && error.problem !== "unreadable") throw new UsageError(`the config file ${path} ${error.message}`);
    throw new UsageError(`cannot read the config file ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw invalid(path, "it is not valid JSON");
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw invalid(path, "it is not a JSON object");
  const profiles = (data as Record<string, unknown>).profiles ?? {};
  if (typeof profiles !== "object" || profiles === null || Array.isArray(profiles)) throw invalid(path, '"profiles" is not an object');
  for (const [name, profile] of Object.entries(profiles)) {
    if (typeof profile !== "object" || profile === null || Array.isArray(profile)) throw invalid(path, `profile "${name}" is not an object`);
    for (const [key, value] of Object.entries(profile)) {
      const field = PROFILE_FIELDS.find((f) => f.key === key);
      if (!field) throw invalid(path, `profile "${name}" has an unknown setting "${key}" (known: ${PROFILE_FIELDS.map((f) => f.key).join(", ")})`);
      const problem = checkValue(field, value);
      if (problem) throw invalid(path, `profile "${name}": "${key}" ${problem}`);
    }
  }
  return { version: 1, profiles: profiles as Record<string, Profile> };
}

/** Why a value does not fit its field, or undefined when it does. */
export function checkValue(field: ProfileField, value: unknown): string | undefined {
  if (field.kind === "port") {
    const port = typeof value === "string" ? Number(value) : value;
    return typeof port === "number" && Number.isInteger(port) && port >= 0 && port <= 65535 ? undefined : "must be a port number (0–65535)";
  }
  if (typeof value !== "string" || value === "") return "must be a non-empty string";
  if (field.kind === "choice" && !field.choices!.includes(value)) return `must be one of ${field.choices!.join(", ")}`;
  if (field.kind === "url") {
    try {
      const url = new URL(value);
      if (url.protocol !== "https:" && url.protocol !== "http:") return "must be an http(s) URL";
    } catch {
      return "must be a URL";
    }
  }
  return undefined;
}

/** Atomic, 0600, in a folder created 0700 (the file names the user's clients and stores). */
export function writeConfig(path: string, config: ConfigFile): void {
  try {
    ensurePrivateDir(dirname(path));
    writeFileAtomically(path, `${JSON.stringify(config, null, 2)}\n`);
  } catch (error) {
    throw new UsageError(`cannot write the config file ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}
