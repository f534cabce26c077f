import type { CommandModule } from "../command.js";
import { describe } from "../shared/help.js";
import { declareFlags } from "../shared/flag-table.js";
import { REQUEST_COMMAND_FLAGS, REQUEST_HELP, type RequestOptions } from "./flags.js";

export const help = REQUEST_HELP;

export const configure: CommandModule["configure"] = (command, ctx) => {
  describe(command, REQUEST_HELP);
  declareFlags(command, REQUEST_COMMAND_FLAGS)
    .argument("<url>", "the API URL to call")
    .action(async (url: string, opts: RequestOptions) =>
      (await import("./run.js")).runRequest(ctx, url, opts, command.getOptionValueSource("store") === "config"),
    );
};
