import type { FlagTable, OptionsOf } from "../shared/flag-table.js";

export const DEMO_FLAGS = {
  browser: { description: "do the sign-in step in your browser instead of headless" },
} as const satisfies FlagTable;

export type DemoOptions = OptionsOf<typeof DEMO_FLAGS>;
