import type { CommandModule } from "../command.js";
import { describe } from "../shared/help.js";
import { declareFlags } from "../shared/flag-table.js";
import { CLIENT_CREDENTIALS_FLAGS, CLIENT_CREDENTIALS_HELP, type ClientCredentialsOptions } from "./flags.js";

export const help = CLIENT_CREDENTIALS_HELP;

export const configure: CommandModule["configure"] = (command, ctx) => {
  describe(command, CLIENT_CREDENTIALS_HELP);
  declareFlags(command, CLIENT_CREDENTIALS_FLAGS)
    .action(async (opts: ClientCredentialsOptions) => (await import("./run.js")).runClientCredentials(ctx, opts));
};
