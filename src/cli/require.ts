import { UsageError } from "../errors/cli-error.js";

/** One usage error that names every missing flag at once, not one per run. */
export function requireFlags(missing: readonly (string | false | undefined)[]): void {
  const names = missing.filter((m): m is string => typeof m === "string");
  if (names.length === 1) throw new UsageError(`missing ${names[0]}`);
  if (names.length > 1) throw new UsageError(`missing ${names.length} required options:`, { details: names.map((n) => `  ${n}`) });
}
