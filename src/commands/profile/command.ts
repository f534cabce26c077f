import { Option } from "commander";
import { PROFILE_FIELDS } from "../../config/fields.js";
import type { CommandModule } from "../command.js";
import { describe } from "../shared/help.js";
import { declareFlags } from "../shared/flag-table.js";
import { CONFIG_FLAG } from "../shared/flags.js";
import { PROFILE_LIST_FLAGS, PROFILE_REFUSED_FLAGS, PROFILE_SET_FLAGS, PROFILE_HELP, type ProfileOptions } from "./flags.js";

const load = () => import("./run.js");

export const help = PROFILE_HELP;

/** `profile list|show|set|delete` under the given `profile` command; each action loads lazily. */
export const configure: CommandModule["configure"] = (profile, ctx) => {
  describe(profile, PROFILE_HELP);
  declareFlags(profile.command("list").description("list the profiles (name and issuer)"), PROFILE_LIST_FLAGS)
    .action(async (opts: ProfileOptions) => (await load()).runProfileList(ctx, opts));
  declareFlags(profile.command("show <name>").description("print one profile as JSON"), CONFIG_FLAG)
    .action(async (name: string, opts: ProfileOptions) => (await load()).runProfileShow(ctx, name, opts));
  const set = declareFlags(profile.command("set <name>").description("create or update a profile; secrets are never stored (give them at run time)"), PROFILE_SET_FLAGS);
  for (const field of PROFILE_FIELDS) {
    const option = new Option(`--${field.key} <value>`, field.description);
    set.addOption(field.choices ? option.choices(field.choices) : option);
  }
  declareFlags(set, PROFILE_REFUSED_FLAGS)
    .action(async (name: string, opts: ProfileOptions) => (await load()).runProfileSet(ctx, name, opts));
  declareFlags(profile.command("delete <name>").description("remove a profile"), CONFIG_FLAG)
    .action(async (name: string, opts: ProfileOptions) => (await load()).runProfileDelete(ctx, name, opts));
};
