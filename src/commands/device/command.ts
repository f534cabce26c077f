import type { CommandModule } from "../command.js";
import { declareFlags } from "../shared/flag-table.js";
import { DEVICE_FLAGS, DEVICE_HELP, type DeviceOptions } from "./flags.js";

export const configure: CommandModule["configure"] = (command, ctx) => {
  declareFlags(command, DEVICE_FLAGS)
    .addHelpText("after", DEVICE_HELP)
    .action(async (opts: DeviceOptions) => (await import("./run.js")).runDevice(ctx, opts));
};
