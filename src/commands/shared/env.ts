import { UsageError } from "../../errors/cli-error.js";

/**
 * An environment variable that stands in for a flag (OAUTH_CLIENT_ID for --client-id, …). Empty
 * is unset, as shells treat `X=`; whitespace alone is a mistake (a stray quote in CI settings),
 * refused like a blank flag value rather than sent.
 */
export function envValue(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const value = env[name];
  if (value === undefined || value === "") return undefined;
  if (value.trim() === "") throw new UsageError(`${name}: must not be blank (got ${JSON.stringify(value)})`, { hint: `Set ${name} to the value, or unset it.` });
  return value;
}
