import type { Context } from "../context.js";

export interface DemoOptions {
  browser?: boolean;
}

/** The hidden `demo` command behind `npm run demo`; the tour lives in src/demo/. */
export async function runDemo(ctx: Context, opts: DemoOptions): Promise<void> {
  const { runTour } = await import("../demo/tour.js");
  await runTour(ctx, { browser: !!opts.browser });
}
