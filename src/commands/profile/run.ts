import { checkValue, type Profile, readConfig, resolveConfigPath, writeConfig } from "../../config/config-file.js";
import { attributeOf, PROFILE_FIELDS, SECRET_FLAGS } from "../../config/fields.js";
import type { Context } from "../../context.js";
import { UsageError } from "../../errors/cli-error.js";
import { expandPath } from "../shared/paths.js";
import type { ProfileOptions } from "./flags.js";

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function checkName(name: string): string {
  if (!NAME.test(name)) throw new UsageError(`profile name "${name}" must be letters, digits, ".", "_" or "-" (up to 64, starting with a letter or digit)`);
  return name;
}

function unknownProfile(name: string, path: string, known: string[]): UsageError {
  return new UsageError(`no profile "${name}" in ${path}`, { hint: known.length > 0 ? `Known profiles: ${known.join(", ")}.` : "There are no profiles yet." });
}

/** `profile list`: one name per line (or a JSON object of all profiles with --json). */
export async function runProfileList(ctx: Context, opts: ProfileOptions): Promise<void> {
  const path = resolveConfigPath(ctx, opts.config);
  if (opts.names) {
    // Shell completion runs this on every Tab: an unreadable config is just no names.
    let names: string[] = [];
    try {
      names = Object.keys(readConfig(path).profiles);
    } catch {
      names = [];
    }
    return ctx.stdout.write(names.map((name) => `${name}\n`).join(""));
  }
  const { profiles } = readConfig(path);
  if (opts.json) return ctx.stdout.write(`${JSON.stringify(profiles, null, 2)}\n`);
  const names = Object.keys(profiles);
  if (names.length === 0) ctx.stderr.write(`no profiles in ${path}; create one with: oauth-cli profile set NAME --issuer URL --client-id ID\n`);
  for (const name of names) {
    const where = profiles[name]!.issuer ?? profiles[name]!["token-endpoint"];
    ctx.stdout.write(where !== undefined ? `${name}\t${where}\n` : `${name}\n`);
  }
}

/** `profile show NAME`: the profile as JSON, keys named like the flags. */
export async function runProfileShow(ctx: Context, name: string, opts: ProfileOptions): Promise<void> {
  const path = resolveConfigPath(ctx, opts.config);
  const { profiles } = readConfig(path);
  const profile = profiles[name];
  if (profile === undefined) throw unknownProfile(name, path, Object.keys(profiles));
  ctx.stdout.write(`${JSON.stringify(profile, null, 2)}\n`);
}

/** `profile set NAME --flag …`: merges the given settings into the profile (created if new). */
export async function runProfileSet(ctx: Context, name: string, opts: ProfileOptions): Promise<void> {
  checkName(name);
  const secret = SECRET_FLAGS.find((flag) => opts[flag] !== undefined);
  if (secret !== undefined) {
    const flag = `--${secret.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw new UsageError(`${flag}: secrets are never written to the config file`, {
      hint: "Give the client secret when you run a command: env OAUTH_CLIENT_SECRET, --client-secret-file PATH or --client-secret - (standard input).",
    });
  }
  const path = resolveConfigPath(ctx, opts.config);
  const config = readConfig(path);
  const profile: Record<string, string | number> = { ...config.profiles[name] };
  for (const key of opts.unset ?? []) {
    if (!PROFILE_FIELDS.some((f) => f.key === key)) throw new UsageError(`--unset: "${key}" is not a profile setting (known: ${PROFILE_FIELDS.map((f) => f.key).join(", ")})`);
    delete profile[key];
  }
  for (const field of PROFILE_FIELDS) {
    const raw = opts[attributeOf(field.key)];
    if (raw === undefined) continue;
    const problem = checkValue(field, raw);
    if (problem) throw new UsageError(`--${field.key}: "${String(raw)}" ${problem}`);
    // A store path is fixed now: at run time the cwd may be anywhere.
    profile[field.key] = field.kind === "port" ? Number(raw) : field.kind === "path" ? expandPath(ctx, String(raw)) : String(raw);
  }
  if (Object.keys(profile).length === 0 && config.profiles[name] === undefined) {
    throw new UsageError(`profile set ${name}: give at least one setting, e.g. --issuer URL --client-id ID`);
  }
  writeConfig(path, { version: 1, profiles: { ...config.profiles, [name]: profile as Profile } });
  ctx.stderr.write(`saved profile "${name}" in ${path}\n`);
}

/** `profile delete NAME`. */
export async function runProfileDelete(ctx: Context, name: string, opts: ProfileOptions): Promise<void> {
  const path = resolveConfigPath(ctx, opts.config);
  const config = readConfig(path);
  if (config.profiles[name] === undefined) throw unknownProfile(name, path, Object.keys(config.profiles));
  const { [name]: _removed, ...rest } = config.profiles;
  writeConfig(path, { version: 1, profiles: rest });
  ctx.stderr.write(`deleted profile "${name}" from ${path}\n`);
}
