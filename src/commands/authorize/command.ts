import type { CommandModule } from "../command.js";
import { declareFlags } from "../shared/flag-table.js";
import { AUTHORIZE_FLAGS, AUTHORIZE_HELP, type AuthorizeOptions } from "./flags.js";

export const configure: CommandModule["configure"] = (command, ctx) => {
  declareFlags(command, AUTHORIZE_FLAGS)
    .addHelpText("after", AUTHORIZE_HELP)
    .action(async (opts: AuthorizeOptions) => (await import("./run.js")).runAuthorize(ctx, opts));
};
