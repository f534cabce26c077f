import type { CommandModule } from "../command.js";
import { describe } from "../shared/help.js";
import { declareFlags } from "../shared/flag-table.js";
import { DEMO_FLAGS, DEMO_HELP, type DemoOptions } from "./flags.js";

export const help = DEMO_HELP;

export const configure: CommandModule["configure"] = (command, ctx, host) => {
  describe(command, DEMO_HELP);
  declareFlags(command, DEMO_FLAGS).action(async (opts: DemoOptions) => (await import("./run.js")).runDemo(ctx, opts, host));
};
