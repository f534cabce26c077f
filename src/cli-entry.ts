import { main } from "./main.js";
import { systemContext } from "./system-context.js";

/** What bin/oauth-cli.js runs (through the bundle, see build.mjs): this process's argv and context. */
export function runProcess(argv: readonly string[]): Promise<number> {
  return main(argv, systemContext());
}
