import type { CommandModule } from "../command.js";
import { declareFlags } from "../shared/flag-table.js";
import { REQUEST_COMMAND_FLAGS, REQUEST_HELP, type RequestOptions } from "./flags.js";

export const configure: CommandModule["configure"] = (command, ctx) => {
  declareFlags(command, REQUEST_COMMAND_FLAGS)
    .argument("<url>", "the API URL to call")
    .addHelpText("after", REQUEST_HELP)
    .action(async (url: string, opts: RequestOptions) =>
      (await import("./run.js")).runRequest(ctx, url, opts, command.getOptionValueSource("store") === "config"),
    );
};
