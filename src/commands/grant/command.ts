import type { CommandModule } from "../command.js";
import { declareFlags } from "../shared/flag-table.js";
import { GRANT_FLAGS, GRANT_HELP, type GrantOptions } from "./flags.js";

export const configure: CommandModule["configure"] = (command, ctx) => {
  declareFlags(command, GRANT_FLAGS)
    .addHelpText("after", GRANT_HELP)
    .action(async (opts: GrantOptions) => (await import("./run.js")).runGrant(ctx, opts));
};
