import type { CommandModule } from "../command.js";
import { declareFlags } from "../shared/flag-table.js";
import { REFRESH_FLAGS, REFRESH_HELP, type RefreshOptions } from "./flags.js";

export const configure: CommandModule["configure"] = (command, ctx) => {
  declareFlags(command, REFRESH_FLAGS)
    .addHelpText("after", REFRESH_HELP)
    .action(async (opts: RefreshOptions) => (await import("./run.js")).runRefresh(ctx, opts));
};
