import type { Context } from "../../context.js";
import { UsageError } from "../../errors/cli-error.js";
import { explainReport } from "../../errors/explain.js";
import { parseErrorInput } from "../../errors/parse/index.js";
import { explanationJson, renderDecoded } from "../../errors/render.js";
import { styleFor } from "../../output/style.js";
import { wrapFor } from "../../output/wrap.js";
import type { DecodeErrorOptions } from "./flags.js";

const STATUS_LINE = /^(?:<\s*)?HTTP\/\d(?:\.\d)?\s+\d{3}\b/;

/**
 * Where a pasted text ends: at a blank line, except the one between an HTTP response's headers and
 * its body (`curl -i` output has one); there two blank lines in a row, or one after the body, end it.
 */
export function pasteEndsAt(lines: readonly string[]): boolean {
  const last = lines.length - 1;
  if (last < 0 || lines[last]!.trim() !== "" || lines.every((l) => l.trim() === "")) return false;
  let status = -1;
  for (let i = 0; i < lines.length; i++) if (STATUS_LINE.test(lines[i]!.trim())) status = i;
  if (status < 0) return true;
  if (last > 0 && lines[last - 1]!.trim() === "") return true;
  const blanks = lines.slice(status + 1, last).filter((l) => l.trim() === "").length;
  return blanks > 0; // a blank line already separated headers from the body: this one ends the body
}

/** The paste as typed on a terminal: lines until {@link pasteEndsAt} or end of input. */
export function cutPaste(text: string): string {
  const lines: string[] = [];
  for (const line of text.split("\n")) {
    lines.push(line.replace(/\r$/, ""));
    if (pasteEndsAt(lines)) break;
  }
  return lines.join("\n");
}

async function readInput(ctx: Context, args: readonly string[]): Promise<string> {
  if (args.length > 0 && !(args.length === 1 && args[0] === "-")) return args.join(" ");
  if (!ctx.stdin.isTTY || args[0] === "-") return ctx.stdin.readAll();
  ctx.stderr.write("Paste the error (a JSON body, redirect URL, WWW-Authenticate header, curl -i output, message or code),\nthen press Enter on an empty line (or Ctrl-D):\n");
  return cutPaste(await ctx.stdin.readAll({ until: pasteEndsAt }));
}

/**
 * Explains any OAuth error the user pastes: what it means, where the spec defines it, the likely
 * causes ranked, and what to try. Exit 0 when an error was read (even an unknown code), 2 when not.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export async function runDecodeError(ctx: Context, args: readonly string[], opts: DecodeErrorOptions): Promise<void> {
  const input = await readInput(ctx, args);
  const parsed = parseErrorInput(input);
  if (parsed.kind === "unrecognised") {
    throw new UsageError(`decode-error: ${parsed.reason}`, {
      hint: "Paste the whole response body, the redirect URL, the WWW-Authenticate header value, `curl -i` output, the provider's message, or just the code (e.g. invalid_grant).",
    });
  }
  const reports = parsed.kind === "report" ? [parsed.report] : parsed.reports;
  const explanations = reports.map((report) => explainReport(report));
  if (opts.json) {
    const [first, ...others] = explanations.map(explanationJson);
    const result = { ...first, notes: parsed.notes, ...(others.length ? { others } : {}) };
    ctx.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  ctx.stdout.write(wrapFor(ctx.stdout)(renderDecoded(explanations, parsed.notes, await styleFor(ctx, ctx.stdout))));
}
