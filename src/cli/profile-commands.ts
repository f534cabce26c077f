import { type Command, Option } from "commander";
import { PROFILE_FIELDS } from "../config/fields.js";
import type { Context } from "../context.js";

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
const load = () => import("../commands/profile.js");

/** `profile list|show|set|delete` under the given `profile` command; each action loads lazily. */
export function addProfileCommands(profile: Command, ctx: Context): Command {
  const config = () => new Option("--config <path>", "config file (default: $XDG_CONFIG_HOME/oauth-cli/config.json, else ~/.config/oauth-cli/config.json)");
  profile
    .command("list")
    .description("list the profiles (name and issuer)")
    .addOption(config())
    .option("--json", "all profiles as one JSON object")
    .action(async (opts) => (await load()).runProfileList(ctx, opts));
  profile
    .command("show <name>")
    .description("print one profile as JSON")
    .addOption(config())
    .action(async (name: string, opts) => (await load()).runProfileShow(ctx, name, opts));
  const set = profile
    .command("set <name>")
    .description("create or update a profile; secrets are never stored (give them at run time)")
    .addOption(config())
    .option("--unset <setting>", "remove a setting, repeatable", collect);
  for (const field of PROFILE_FIELDS) {
    const option = new Option(`--${field.key} <value>`, field.description);
    set.addOption(field.choices ? option.choices(field.choices) : option);
  }
  // Accepted only to be refused with a clear message, not commander's "unknown option".
  for (const flag of ["--client-secret <value>", "--client-secret-file <path>", "--refresh-token <token>"]) set.addOption(new Option(flag).hideHelp());
  set
    .addHelpText("after", "\nExample:\n  oauth-cli profile set ci --issuer https://id.example.com --client-id app --store ~/.cache/oauth-cli/ci.json\n  oauth-cli refresh --profile ci -o token\n")
    .action(async (name: string, opts) => (await load()).runProfileSet(ctx, name, opts));
  profile
    .command("delete <name>")
    .description("remove a profile")
    .addOption(config())
    .action(async (name: string, opts) => (await load()).runProfileDelete(ctx, name, opts));
  return profile;
}
