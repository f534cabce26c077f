import type { Command } from "commander";
import type { Context } from "../context.js";
import { UsageError } from "../errors/cli-error.js";
import { expandPath } from "../commands/shared/paths.js";
import { readConfig, resolveConfigPath } from "./config-file.js";
import { PROFILE_FIELDS } from "./fields.js";

/**
 * The one place profiles are merged: before a command runs, each profile value fills the option
 * it maps to unless that option came from the command line. Flags > profile > env > defaults,
 * so `run<Name>` never knows profiles exist.
 */
export function applyProfile(ctx: Context, command: Command): void {
  const has = (attribute: string) => command.options.some((option) => option.attributeName() === attribute);
  if (!has("profile")) return;
  const opts = command.opts<{ profile?: string; config?: string }>();
  const name = opts.profile ?? (ctx.env.OAUTH_PROFILE || undefined);
  if (name === undefined) return;
  const path = resolveConfigPath(ctx, opts.config);
  const config = readConfig(path);
  const profile = config.profiles[name];
  if (profile === undefined) {
    const known = Object.keys(config.profiles);
    const source = opts.profile !== undefined ? "--profile" : "OAUTH_PROFILE";
    throw new UsageError(`${source}: no profile "${name}" in ${path}`, {
      hint: known.length > 0 ? `Known profiles: ${known.join(", ")}.` : `Create it with: oauth-cli profile set ${name} --issuer URL --client-id ID`,
    });
  }
  for (const field of PROFILE_FIELDS) {
    const value = profile[field.key];
    if (value === undefined) continue;
    for (const target of field.targets) {
      if (!has(target)) continue;
      const source = command.getOptionValueSource(target);
      if (source === "cli" || source === "env") continue;
      // A path in a hand-edited config.json never went through a shell: ~ and relative paths are
      // expanded here, as `profile set` does when it writes one.
      command.setOptionValueWithSource(target, field.kind === "path" ? expandPath(ctx, String(value)) : String(value), "config");
    }
  }
}
