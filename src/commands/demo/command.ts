import type { CommandModule } from "../command.js";
import { declareFlags } from "../shared/flag-table.js";
import { DEMO_FLAGS, type DemoOptions } from "./flags.js";

export const configure: CommandModule["configure"] = (command, ctx, host) => {
  declareFlags(command, DEMO_FLAGS).action(async (opts: DemoOptions) => (await import("./run.js")).runDemo(ctx, opts, host));
};
