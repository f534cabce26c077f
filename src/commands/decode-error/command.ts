import type { CommandModule } from "../command.js";
import { describe } from "../shared/help.js";
import { declareFlags } from "../shared/flag-table.js";
import { DECODE_ERROR_FLAGS, DECODE_ERROR_HELP, type DecodeErrorOptions } from "./flags.js";

export const help = DECODE_ERROR_HELP;

export const configure: CommandModule["configure"] = (command, ctx) => {
  describe(command, DECODE_ERROR_HELP);
  declareFlags(command.argument("[input...]", "the error as sent (joined with spaces); - or nothing reads standard input"), DECODE_ERROR_FLAGS)
    .action(async (input: string[], opts: DecodeErrorOptions) => (await import("./run.js")).runDecodeError(ctx, input, opts));
};
