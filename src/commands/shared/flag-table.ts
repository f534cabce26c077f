import { type Command, Option } from "commander";

/**
 * One flag, as data. Its name comes from the key of its table (`clientId` → `--client-id`), so
 * the name commander files a value under and the name the options type uses cannot disagree.
 */
export interface FlagSpec {
  readonly description: string;
  /** "<url>": the flag takes a value; without it the flag is a switch. */
  readonly value?: string;
  /** "-o": a one-letter alias. */
  readonly short?: string;
  readonly choices?: readonly string[];
  readonly default?: string;
  /** May be given more than once; every value is kept, in order. */
  readonly repeatable?: true;
  /** Declared as `--no-<name>`: the value is true unless the flag is given. */
  readonly negate?: true;
  /** Accepted but not listed in --help. */
  readonly hidden?: true;
}

export type FlagTable = Readonly<Record<string, FlagSpec>>;

type ValueOf<S extends FlagSpec> = S extends { readonly repeatable: true } ? string[] : S extends { readonly value: string } ? string : boolean;

/** The options object commander hands a command's action, derived from its flag table. */
export type OptionsOf<T extends FlagTable> = { -readonly [K in keyof T]?: ValueOf<T[K]> };

/** `clientSecretFile` → `--client-secret-file` (`--no-exchange` for a negated switch). */
export function flagName(attribute: string, spec: Pick<FlagSpec, "negate"> = {}): string {
  return `--${spec.negate ? "no-" : ""}${attribute.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** A repeatable flag's values, in order. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Declares every flag of the table on the command, in table order. */
export function declareFlags(command: Command, table: FlagTable): Command {
  for (const [attribute, spec] of Object.entries(table)) {
    const flags = `${spec.short ? `${spec.short}, ` : ""}${flagName(attribute, spec)}${spec.value ? ` ${spec.value}` : ""}`;
    const option = new Option(flags, spec.description);
    if (spec.choices) option.choices(spec.choices);
    if (spec.default !== undefined) option.default(spec.default);
    if (spec.repeatable) option.argParser(collect);
    if (spec.hidden) option.hideHelp();
    command.addOption(option);
  }
  return command;
}
