import type { CommandModule } from "../command.js";
import { declareFlags } from "../shared/flag-table.js";
import { TOKEN_EXCHANGE_FLAGS, TOKEN_EXCHANGE_HELP, type TokenExchangeOptions } from "./flags.js";

export const configure: CommandModule["configure"] = (command, ctx) => {
  declareFlags(command, TOKEN_EXCHANGE_FLAGS)
    .addHelpText("after", TOKEN_EXCHANGE_HELP)
    .action(async (opts: TokenExchangeOptions) => (await import("./run.js")).runTokenExchange(ctx, opts));
};
