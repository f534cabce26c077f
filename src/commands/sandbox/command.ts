import type { CommandModule } from "../command.js";
import { describe } from "../shared/help.js";
import { declareFlags } from "../shared/flag-table.js";
import { SANDBOX_FLAGS, SANDBOX_HELP, type SandboxCommandOptions } from "./flags.js";

export const help = SANDBOX_HELP;

export const configure: CommandModule["configure"] = (command, ctx) => {
  describe(command, SANDBOX_HELP);
  declareFlags(command, SANDBOX_FLAGS)
    .action(async (opts: SandboxCommandOptions) => (await import("./run.js")).runSandbox(ctx, opts));
};
