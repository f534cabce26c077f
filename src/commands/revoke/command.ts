import type { CommandModule } from "../command.js";
import { describe } from "../shared/help.js";
import { declareFlags } from "../shared/flag-table.js";
import { REVOKE_FLAGS, REVOKE_HELP, type RevokeOptions } from "./flags.js";

export const help = REVOKE_HELP;

export const configure: CommandModule["configure"] = (command, ctx) => {
  describe(command, REVOKE_HELP);
  declareFlags(command, REVOKE_FLAGS)
    .action(async (opts: RevokeOptions) =>
      (await import("./run.js")).runRevoke(ctx, opts, command.getOptionValueSource("store") === "config"),
    );
};
