import type { CommandModule } from "../command.js";
import { declareFlags } from "../shared/flag-table.js";
import { describe } from "../shared/help.js";
import { KEYS_GENERATE_FLAGS, KEYS_GENERATE_HELP, KEYS_HELP, type KeysGenerateOptions } from "./flags.js";

export const help = KEYS_HELP;

/** `keys generate` under the given `keys` command. */
export const configure: CommandModule["configure"] = (keys, ctx) => {
  describe(keys, KEYS_HELP);
  declareFlags(describe(keys.command("generate"), KEYS_GENERATE_HELP), KEYS_GENERATE_FLAGS)
    .action(async (opts: KeysGenerateOptions) => (await import("./run.js")).runKeysGenerate(ctx, opts));
};
