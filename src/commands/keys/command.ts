import type { CommandModule } from "../command.js";
import { declareFlags } from "../shared/flag-table.js";
import { KEYS_GENERATE_FLAGS, KEYS_GENERATE_HELP, type KeysGenerateOptions } from "./flags.js";

/** `keys generate` under the given `keys` command. */
export const configure: CommandModule["configure"] = (keys, ctx) => {
  declareFlags(keys.command("generate").description("write a new private key (0600) and print its public JWK Set to register with the provider"), KEYS_GENERATE_FLAGS)
    .addHelpText("after", KEYS_GENERATE_HELP)
    .action(async (opts: KeysGenerateOptions) => (await import("./run.js")).runKeysGenerate(ctx, opts));
};
