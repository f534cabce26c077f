import type { CommandModule } from "../command.js";
import { describe } from "../shared/help.js";
import { declareFlags } from "../shared/flag-table.js";
import { DEVICE_FLAGS, DEVICE_HELP, type DeviceOptions } from "./flags.js";

export const help = DEVICE_HELP;

export const configure: CommandModule["configure"] = (command, ctx) => {
  describe(command, DEVICE_HELP);
  declareFlags(command, DEVICE_FLAGS)
    .action(async (opts: DeviceOptions) => (await import("./run.js")).runDevice(ctx, opts));
};
