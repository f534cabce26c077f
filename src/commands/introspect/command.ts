import type { CommandModule } from "../command.js";
import { describe } from "../shared/help.js";
import { declareFlags } from "../shared/flag-table.js";
import { INTROSPECT_FLAGS, INTROSPECT_HELP, type IntrospectOptions } from "./flags.js";

export const help = INTROSPECT_HELP;

export const configure: CommandModule["configure"] = (command, ctx) => {
  describe(command, INTROSPECT_HELP);
  declareFlags(command, INTROSPECT_FLAGS)
    .action(async (opts: IntrospectOptions) =>
      (await import("./run.js")).runIntrospect(ctx, opts, command.getOptionValueSource("store") === "config"),
    );
};
