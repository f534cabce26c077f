import type { Context } from "../../context.js";
import type { CommandHost } from "../command.js";
import type { DemoOptions } from "./flags.js";

/** The hidden `demo` command behind `npm run demo`: the tour (tour.ts) through real command lines. */
export async function runDemo(ctx: Context, opts: DemoOptions, host: CommandHost): Promise<void> {
  const { runTour } = await import("./tour.js");
  await runTour(ctx, { browser: !!opts.browser, host });
}
