import type { CommandModule } from "../command.js";
import { declareFlags } from "../shared/flag-table.js";
import { CLIENT_CREDENTIALS_FLAGS, CLIENT_CREDENTIALS_HELP, type ClientCredentialsOptions } from "./flags.js";

export const configure: CommandModule["configure"] = (command, ctx) => {
  declareFlags(command, CLIENT_CREDENTIALS_FLAGS)
    .addHelpText("after", CLIENT_CREDENTIALS_HELP)
    .action(async (opts: ClientCredentialsOptions) => (await import("./run.js")).runClientCredentials(ctx, opts));
};
