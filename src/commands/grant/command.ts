import type { CommandModule } from "../command.js";
import { describe } from "../shared/help.js";
import { declareFlags } from "../shared/flag-table.js";
import { GRANT_FLAGS, GRANT_HELP, type GrantOptions } from "./flags.js";

export const help = GRANT_HELP;

export const configure: CommandModule["configure"] = (command, ctx) => {
  describe(command, GRANT_HELP);
  declareFlags(command, GRANT_FLAGS)
    .action(async (opts: GrantOptions) => (await import("./run.js")).runGrant(ctx, opts));
};
