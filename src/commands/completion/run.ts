import type { Context } from "../../context.js";
import { completionScript, type Shell } from "../../docs/completion.js";
import { commandTree } from "../../docs/tree.js";
import type { CommandHost } from "../command.js";

/** `completion SHELL`: the script on stdout, built from every command's flags and help data. */
export async function runCompletion(ctx: Context, shell: string, host: CommandHost): Promise<void> {
  if (host.wholeProgram === undefined) throw new Error("completion: the program did not hand down the whole command tree");
  ctx.stdout.write(completionScript(shell as Shell, commandTree(await host.wholeProgram())));
}
