import type { CommandModule } from "../command.js";
import { describe } from "../shared/help.js";
import { declareFlags } from "../shared/flag-table.js";
import { USERINFO_FLAGS, USERINFO_HELP, type UserinfoOptions } from "./flags.js";

export const help = USERINFO_HELP;

export const configure: CommandModule["configure"] = (command, ctx) => {
  describe(command, USERINFO_HELP);
  declareFlags(command, USERINFO_FLAGS)
    .action(async (opts: UserinfoOptions) =>
      (await import("./run.js")).runUserinfo(ctx, opts, command.getOptionValueSource("store") === "config"),
    );
};
