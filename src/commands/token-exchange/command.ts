import type { CommandModule } from "../command.js";
import { describe } from "../shared/help.js";
import { declareFlags } from "../shared/flag-table.js";
import { TOKEN_EXCHANGE_FLAGS, TOKEN_EXCHANGE_HELP, type TokenExchangeOptions } from "./flags.js";

export const help = TOKEN_EXCHANGE_HELP;

export const configure: CommandModule["configure"] = (command, ctx) => {
  describe(command, TOKEN_EXCHANGE_HELP);
  declareFlags(command, TOKEN_EXCHANGE_FLAGS)
    .action(async (opts: TokenExchangeOptions) => (await import("./run.js")).runTokenExchange(ctx, opts));
};
