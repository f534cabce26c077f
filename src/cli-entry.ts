import { main } from "./main.js";
import { systemContext } from "./system-context.js";

// bin/ puts V8's flags back before it makes its code cache.
export { restoreV8Flags } from "./startup/v8-flags.js";

/** What bin/oauth-cli.js runs (through the bundle, see build.mjs): this process's argv and context. */
export function runProcess(argv: readonly string[]): Promise<number> {
  return main(argv, systemContext());
}
