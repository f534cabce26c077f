import type { Command } from "commander";
import type { Context } from "../context.js";
import type { CommandHelp } from "./shared/help.js";

/** What a command gets from the program besides the context: only the demo needs it, to run command lines in-process. */
export interface CommandHost {
  /** main(): one command line, start to exit code. Handed down so no command module imports main (that would be a cycle). */
  runCommandLine(argv: readonly string[], ctx: Context): Promise<number>;
  /** Every command configured (not only the one this command line names): for `completion`, which lists them all. */
  wholeProgram?(): Promise<Command>;
}

/**
 * `src/commands/<name>/command.ts`: declares the command's flags, arguments and help on the
 * commander command the program made for it, and an action that loads its run module only then.
 */
export interface CommandModule {
  /** Purpose, examples and exit codes: --help, the man page and shell completion are built from it. */
  readonly help: CommandHelp;
  configure(command: Command, ctx: Context, host: CommandHost): void;
}
