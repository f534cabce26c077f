import { type CommandHelp, exitCodes, SUCCESS, USAGE } from "../shared/help.js";
import type { FlagTable, OptionsOf } from "../shared/flag-table.js";

export const DEMO_FLAGS = {
  browser: { description: "do the sign-in step in your browser instead of headless" },
} as const satisfies FlagTable;

export type DemoOptions = OptionsOf<typeof DEMO_FLAGS>;

export const DEMO_HELP: CommandHelp = {
  purpose: "the tour behind `npm run demo`: a sandbox and each command against it",
  examples: ["npm run demo", "oauth-cli demo --browser   # sign in yourself instead of the headless browser"],
  exitCodes: exitCodes(SUCCESS("every step of the tour ran as expected"), { code: 1, meaning: "a step did not end as the tour expected" }, USAGE()),
};
