import type { CommandModule } from "../command.js";
import { declareFlags } from "../shared/flag-table.js";
import { INTROSPECT_FLAGS, INTROSPECT_HELP, type IntrospectOptions } from "./flags.js";

export const configure: CommandModule["configure"] = (command, ctx) => {
  declareFlags(command, INTROSPECT_FLAGS)
    .addHelpText("after", INTROSPECT_HELP)
    .action(async (opts: IntrospectOptions) =>
      (await import("./run.js")).runIntrospect(ctx, opts, command.getOptionValueSource("store") === "config"),
    );
};
