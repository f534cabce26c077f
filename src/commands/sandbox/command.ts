import type { CommandModule } from "../command.js";
import { declareFlags } from "../shared/flag-table.js";
import { SANDBOX_FLAGS, SANDBOX_HELP, type SandboxCommandOptions } from "./flags.js";

export const configure: CommandModule["configure"] = (command, ctx) => {
  declareFlags(command, SANDBOX_FLAGS)
    .addHelpText("after", SANDBOX_HELP)
    .action(async (opts: SandboxCommandOptions) => (await import("./run.js")).runSandbox(ctx, opts));
};
