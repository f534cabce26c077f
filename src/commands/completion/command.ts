import { Argument } from "commander";
import type { CommandModule } from "../command.js";
import { describe } from "../shared/help.js";
import { declareFlags } from "../shared/flag-table.js";
import { COMPLETION_FLAGS, COMPLETION_HELP } from "./flags.js";

export const help = COMPLETION_HELP;

export const configure: CommandModule["configure"] = (command, ctx, host) => {
  describe(command, COMPLETION_HELP);
  declareFlags(command.addArgument(new Argument("<shell>", "bash, zsh or fish").choices(["bash", "zsh", "fish"])), COMPLETION_FLAGS)
    .action(async (shell: string) => (await import("./run.js")).runCompletion(ctx, shell, host));
};
