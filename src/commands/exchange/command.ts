import type { CommandModule } from "../command.js";
import { declareFlags } from "../shared/flag-table.js";
import { EXCHANGE_FLAGS, EXCHANGE_HELP, type ExchangeOptions } from "./flags.js";

export const configure: CommandModule["configure"] = (command, ctx) => {
  declareFlags(command, EXCHANGE_FLAGS)
    .addHelpText("after", EXCHANGE_HELP)
    .action(async (opts: ExchangeOptions) => (await import("./run.js")).runExchange(ctx, opts));
};
