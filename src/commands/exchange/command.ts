import type { CommandModule } from "../command.js";
import { describe } from "../shared/help.js";
import { declareFlags } from "../shared/flag-table.js";
import { EXCHANGE_FLAGS, EXCHANGE_HELP, type ExchangeOptions } from "./flags.js";

export const help = EXCHANGE_HELP;

export const configure: CommandModule["configure"] = (command, ctx) => {
  describe(command, EXCHANGE_HELP);
  declareFlags(command, EXCHANGE_FLAGS)
    .action(async (opts: ExchangeOptions) => (await import("./run.js")).runExchange(ctx, opts));
};
