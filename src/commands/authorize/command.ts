import type { CommandModule } from "../command.js";
import { describe } from "../shared/help.js";
import { declareFlags } from "../shared/flag-table.js";
import { AUTHORIZE_FLAGS, AUTHORIZE_HELP, type AuthorizeOptions } from "./flags.js";

export const help = AUTHORIZE_HELP;

export const configure: CommandModule["configure"] = (command, ctx) => {
  describe(command, AUTHORIZE_HELP);
  declareFlags(command, AUTHORIZE_FLAGS)
    .action(async (opts: AuthorizeOptions) => (await import("./run.js")).runAuthorize(ctx, opts));
};
