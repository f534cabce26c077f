import type { CommandModule } from "../command.js";
import { declareFlags } from "../shared/flag-table.js";
import { USERINFO_FLAGS, USERINFO_HELP, type UserinfoOptions } from "./flags.js";

export const configure: CommandModule["configure"] = (command, ctx) => {
  declareFlags(command, USERINFO_FLAGS)
    .addHelpText("after", USERINFO_HELP)
    .action(async (opts: UserinfoOptions) =>
      (await import("./run.js")).runUserinfo(ctx, opts, command.getOptionValueSource("store") === "config"),
    );
};
