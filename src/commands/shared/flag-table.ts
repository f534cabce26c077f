import { type Command, Option } from "commander";
import { UsageError } from "../../errors/cli-error.js";
import { GROUP_ORDER, groupOf } from "./help.js";

/**
 * Where a secret flag's value can come from instead of the command line, where other local
 * users see it (`ps`, /proc/PID/cmdline) and shell history keeps it. A secret flag also takes `-`
 * (read standard input).
 */
export interface SecretSpec {
  /** The environment variable that carries the same value. */
  readonly env?: string;
  /** A flag that reads the value from a file. */
  readonly file?: string;
}

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
  /**
   * The value is a secret: given literally (not `-`) on the command line, the run warns, once,
   * naming the alternatives.
   */
  readonly secret?: SecretSpec;
  /** An empty value means something (`--scope ""`: no scope at all). Otherwise a blank value is a usage error. */
  readonly allowEmpty?: true;
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

/** Where a value came from, as commander tracks it: "cli", "config" (a profile), "env", "default". */
export type ValueSource = string | undefined;

/** What the command line gave, per flag: the values and where they came from. */
export interface GivenValue {
  readonly values: readonly string[];
  readonly source: ValueSource;
}

/**
 * A value the server would receive blank is a mistake, not a request: refused before anything is
 * sent, naming the flag. Whitespace alone counts as blank: no client id, code, URL or token is
 * made of it.
 */
export function checkBlankValues(table: FlagTable, given: Readonly<Record<string, GivenValue | undefined>>): void {
  for (const [attribute, spec] of Object.entries(table)) {
    const value = given[attribute];
    if (!spec.value || spec.allowEmpty || value === undefined) continue;
    const blank = value.values.find((v) => v.trim() === "");
    if (blank === undefined) continue;
    const from = value.source === "config" ? " (from the profile)" : "";
    const what = blank === "" ? "must not be empty" : `must not be blank (got ${JSON.stringify(blank)})`;
    throw new UsageError(`${flagName(attribute)}${from}: ${what}`);
  }
}

/**
 * The one warning about secrets typed on the command line: every secret flag given a literal
 * value, each with where else its value can come from. Undefined when there is none.
 * @see https://cwe.mitre.org/data/definitions/214.html (secrets in process arguments)
 */
export function secretsOnCommandLine(table: FlagTable, given: Readonly<Record<string, GivenValue | undefined>>): string | undefined {
  const lines: string[] = [];
  const names: string[] = [];
  for (const [attribute, spec] of Object.entries(table)) {
    const value = given[attribute];
    if (!spec.secret || value?.source !== "cli" || value.values.every((v) => v === "-")) continue;
    const name = flagName(attribute);
    names.push(name);
    const instead = [spec.secret.env, spec.secret.file && `${spec.secret.file} PATH`, `${name} -`].filter(Boolean);
    lines.push(`  ${name}: use ${instead.length > 1 ? `${instead.slice(0, -1).join(", ")} or ${instead.at(-1)}` : instead[0]}`);
  }
  if (names.length === 0) return undefined;
  return [`${names.join(", ")} on the command line ${names.length > 1 ? "are" : "is"} visible to other local users in the process list, and kept in shell history:`, ...lines].join("\n");
}

/** Every table declared on a command, merged: one check and one warning per run, however many tables. */
const DECLARED = new WeakMap<Command, FlagTable>();

function givenValues(command: Command, table: FlagTable): Record<string, GivenValue | undefined> {
  const given: Record<string, GivenValue | undefined> = {};
  for (const attribute of Object.keys(table)) {
    const value: unknown = command.getOptionValue(attribute);
    if (typeof value === "string") given[attribute] = { values: [value], source: command.getOptionValueSource(attribute) };
    else if (Array.isArray(value)) given[attribute] = { values: value as string[], source: command.getOptionValueSource(attribute) };
  }
  return given;
}

/**
 * Declares every flag of the table on the command, in table order. Before the action runs (after
 * profiles have filled their values), blank values are refused and secrets typed on the command
 * line are warned about, once.
 */
export function declareFlags(command: Command, table: FlagTable): Command {
  // --help lists the command's own flags first, then the shared ones under their headings.
  const rank = (spec: FlagSpec) => {
    const group = groupOf(spec);
    return group === undefined ? -1 : GROUP_ORDER.indexOf(group as (typeof GROUP_ORDER)[number]);
  };
  const entries = Object.entries(table).sort(([, a], [, b]) => rank(a) - rank(b));
  for (const [attribute, spec] of entries) {
    const flags = `${spec.short ? `${spec.short}, ` : ""}${flagName(attribute, spec)}${spec.value ? ` ${spec.value}` : ""}`;
    const option = new Option(flags, spec.description);
    if (spec.choices) option.choices(spec.choices);
    if (spec.default !== undefined) option.default(spec.default);
    if (spec.repeatable) option.argParser(collect);
    if (spec.hidden) option.hideHelp();
    const group = groupOf(spec);
    if (group !== undefined) option.helpGroup(group);
    command.addOption(option);
  }
  const known = DECLARED.get(command);
  DECLARED.set(command, { ...known, ...table });
  if (known === undefined) {
    command.hook("preAction", (self) => {
      const all = DECLARED.get(self) ?? {};
      const given = givenValues(self, all);
      checkBlankValues(all, given);
      const warning = secretsOnCommandLine(all, given);
      // The command's error stream is the run's stderr (the program configures it).
      if (warning !== undefined) self.configureOutput().writeErr?.(`warning: ${warning}\n`);
    });
  }
  return command;
}
