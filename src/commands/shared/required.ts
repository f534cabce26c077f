import { UsageError } from "../../errors/cli-error.js";

/** A flag a run cannot do without, and how to tell it was given (a flag, or its environment variable). */
export interface Requirement<O> {
  /** How the message names it: "--code CODE (or --code - to read it from standard input)". */
  readonly flag: string;
  met(opts: O, env: Readonly<Record<string, string | undefined>>): boolean;
}

/** The requirements the options do not meet, in the order given. */
export function missingFlags<O>(requirements: readonly Requirement<O>[], opts: O, env: Readonly<Record<string, string | undefined>>): string[] {
  return requirements.filter((requirement) => !requirement.met(opts, env)).map((requirement) => requirement.flag);
}

/**
 * The one check of required flags: every command runs it once, with its own list (declared beside
 * its flags), and one usage error names every missing flag at once, not one per run.
 */
export function checkRequired<O>(requirements: readonly Requirement<O>[], opts: O, env: Readonly<Record<string, string | undefined>>): void {
  const names = missingFlags(requirements, opts, env);
  if (names.length === 1) throw new UsageError(`missing ${names[0]}`);
  if (names.length > 1) throw new UsageError(`missing ${names.length} required options:`, { details: names.map((n) => `  ${n}`) });
}
