import type { Context } from "../../context.js";
import { UsageError } from "../../errors/cli-error.js";
import { type Explanation, explainReport } from "../../errors/explain.js";
import { parseErrorInput } from "../../errors/parse/index.js";
import { diagnosePaste } from "../../errors/paste-diagnosis.js";
import { explanationJson, renderDecoded } from "../../errors/render.js";
import { styleFor } from "../../output/style.js";
import { jsonSafe } from "../../output/terminal.js";
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
 * causes ranked, and what to try. Exit 0 when the error was identified; 2 when it was not (nothing
 * OAuth-like, or a code the catalogue does not know), after printing what advice there is.
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
  const explanations = reports.map((report) => diagnosePaste(explainReport(report)));
  // A paste is evidence only of what it contains: when nothing in it singled out a cause, say so.
  const unranked = explanations.some((e) => e.causes.length > 1 && e.recognised.length === 0 && e.causes.every((c) => c.evidence.length === 0));
  const notes = unranked ? [...parsed.notes, "nothing in the paste points at one cause: they are listed by how often each is the reason; the request sent, or the server's log, tells them apart"] : parsed.notes;
  if (opts.json) {
    const [first, ...others] = explanations.map(explanationJson);
    const result = { ...first, notes, ...(others.length ? { others } : {}) };
    ctx.stdout.write(`${jsonSafe(JSON.stringify(result, null, 2))}\n`);
  } else {
    ctx.stdout.write(wrapFor(ctx.stdout)(renderDecoded(explanations, notes, await styleFor(ctx, ctx.stdout))));
  }
  // One rule: exit 0 only when an error was identified (a code or wording the catalogue knows).
  // The advice above still stands; a script learns from the 2 that it is guesswork.
  if (!explanations.some((e) => e.known)) throw notIdentified(explanations[0]!);
}

function notIdentified(explanation: Explanation): UsageError {
  const { error, http } = explanation.report;
  if (!error) return new UsageError(`decode-error: no OAuth error code in the input (HTTP ${http?.status ?? "status unknown"}); the advice above is by HTTP status only`);
  const near = explanation.didYouMean;
  return new UsageError(`decode-error: unknown error code "${error}"${near ? `: did you mean ${near.join(" or ")}?` : ""}`, {
    hint: near ? `oauth-cli decode-error ${near[0]}` : "The advice above is by HTTP status only; the provider's documentation may list this code.",
  });
}
