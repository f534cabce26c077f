import { resolve } from "node:path";
import type { OutputMode } from "../../output/format.js";
import type { RefreshOptions } from "./flags.js";

/**
 * The command that carries on from a rescue file (a token store of its own): the file holds the
 * endpoint and the client, not the secret, so the flags that bring the secret (or the transport)
 * are repeated, with absolute paths.
 */
export function continueCommand(store: string, opts: RefreshOptions, cwd: string, mode: OutputMode): string {
  const words = ["oauth-cli", "refresh", "--store", store];
  if (opts.clientSecretFile !== undefined && opts.clientSecretFile !== "-") words.push("--client-secret-file", resolve(cwd, opts.clientSecretFile));
  else if (opts.clientSecretFile === "-" || opts.clientSecret !== undefined) words.push("--client-secret", "-");
  if (opts.bodyFormat !== undefined) words.push("--body-format", opts.bodyFormat);
  if (opts.caFile !== undefined) words.push("--ca-file", resolve(cwd, opts.caFile));
  if (mode === "token") words.push("-o", "token");
  return words.map(shellWord).join(" ");
}

function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}
