import type { CommandModule } from "../command.js";
import { declareFlags } from "../shared/flag-table.js";
import { REVOKE_FLAGS, REVOKE_HELP, type RevokeOptions } from "./flags.js";

export const configure: CommandModule["configure"] = (command, ctx) => {
  declareFlags(command, REVOKE_FLAGS)
    .addHelpText("after", REVOKE_HELP)
    .action(async (opts: RevokeOptions) =>
      (await import("./run.js")).runRevoke(ctx, opts, command.getOptionValueSource("store") === "config"),
    );
};
