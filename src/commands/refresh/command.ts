import type { CommandModule } from "../command.js";
import { describe } from "../shared/help.js";
import { declareFlags } from "../shared/flag-table.js";
import { REFRESH_FLAGS, REFRESH_HELP, type RefreshOptions } from "./flags.js";

export const help = REFRESH_HELP;

export const configure: CommandModule["configure"] = (command, ctx) => {
  describe(command, REFRESH_HELP);
  declareFlags(command, REFRESH_FLAGS)
    .action(async (opts: RefreshOptions) => (await import("./run.js")).runRefresh(ctx, opts));
};
