import { type CommandHelp, exitCodes, SUCCESS, USAGE } from "../shared/help.js";
import type { FlagTable, OptionsOf } from "../shared/flag-table.js";

export const COMPLETION_FLAGS = {} as const satisfies FlagTable;

export type CompletionOptions = OptionsOf<typeof COMPLETION_FLAGS>;

export const COMPLETION_HELP: CommandHelp = {
  purpose: "print a shell completion script (bash, zsh or fish): commands, flags, their values and profile names",
  examples: [
    "oauth-cli completion bash > ~/.local/share/bash-completion/completions/oauth-cli",
    'oauth-cli completion zsh > "${fpath[1]}/_oauth-cli"   # or in ~/.zshrc: source <(oauth-cli completion zsh)',
    "oauth-cli completion fish > ~/.config/fish/completions/oauth-cli.fish",
  ],
  exitCodes: exitCodes(SUCCESS("the script was printed"), USAGE("no shell, or one other than bash, zsh and fish")),
};
