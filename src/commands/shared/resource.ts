import { UsageError } from "../../errors/cli-error.js";

/**
 * RFC 8707 §2: a resource indicator is an absolute URI without a fragment. Checked before
 * anything is sent, naming the flag.
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2
 */
export function checkResource(value: string, flag = "--resource"): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag}: "${value}" is not an absolute URI (RFC 8707 §2)`, { hint: "Give the API's identifier as registered, e.g. --resource https://api.example.com" });
  }
  if (url.hash) throw new UsageError(`${flag}: "${value}" must not have a fragment (RFC 8707 §2)`);
  return value;
}

/** `--resource`, repeatable: one `resource` parameter per value, in order (RFC 8707 §2.2). */
export function resourceParams(values: readonly string[] | undefined, flag = "--resource"): [string, string][] {
  return (values ?? []).map((uri): [string, string] => ["resource", checkResource(uri, flag)]);
}
