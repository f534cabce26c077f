import type { Command, Option } from "commander";
import { type CommandHelp, helpOf } from "../commands/shared/help.js";

/** One flag as completion and the man page need it. */
export interface FlagDoc {
  readonly long?: string;
  readonly short?: string;
  /** "<url>", or undefined for a switch. */
  readonly value?: string;
  readonly choices?: readonly string[];
  readonly description: string;
  /** The heading --help lists it under ("Options:" for a command's own). */
  readonly group: string;
}

export interface CommandDoc {
  readonly name: string;
  /** "refresh [options]", "profile set [options] <name>". */
  readonly usage: string;
  readonly purpose: string;
  readonly help?: CommandHelp;
  readonly flags: readonly FlagDoc[];
  readonly subcommands: readonly CommandDoc[];
}

function flagDoc(option: Option): FlagDoc {
  const value = /\s(<[^>]+>|\[[^\]]+\])$/.exec(option.flags)?.[1];
  return {
    ...(option.long && { long: option.long }),
    ...(option.short && { short: option.short }),
    ...(value && { value }),
    ...(option.argChoices && { choices: option.argChoices }),
    description: option.description,
    group: option.helpGroupHeading ?? "Options:",
  };
}

/** The visible commands and flags of a configured program, in --help order (hidden ones left out, as --help does). */
export function commandTree(command: Command, path: readonly string[] = []): CommandDoc {
  const helper = command.createHelp();
  const help = helpOf(command);
  return {
    name: [...path, command.name()].join(" "),
    usage: [...path, command.name(), command.usage()].join(" "),
    purpose: help?.purpose ?? command.description(),
    ...(help && { help }),
    flags: helper.visibleOptions(command).map(flagDoc),
    subcommands: helper.visibleCommands(command).filter((sub) => sub.name() !== "help").map((sub) => commandTree(sub, [...path, command.name()])),
  };
}

/** Flag values that are files: the shell offers file names for them. */
export const takesPath = (flag: FlagDoc): boolean => flag.value !== undefined && /^<(path|file)>$/.test(flag.value) && flag.long !== "--redirect-path"; // a URL path, not a file
