import type { CommandModule } from "../command.js";
import { describe } from "../shared/help.js";
import { declareFlags } from "../shared/flag-table.js";
import { INSPECT_FLAGS, INSPECT_HELP, type InspectOptions } from "./flags.js";

export const help = INSPECT_HELP;

export const configure: CommandModule["configure"] = (command, ctx) => {
  describe(command, INSPECT_HELP);
  declareFlags(command.argument("[token]", "the JWT (or a Bearer header value); - or nothing reads standard input"), INSPECT_FLAGS)
    .action(async (token: string | undefined, opts: InspectOptions) => (await import("./run.js")).runInspect(ctx, token, opts));
};
