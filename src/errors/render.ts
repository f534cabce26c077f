import type { Context } from "../context.js";
import { styleFor, type Style } from "../output/style.js";
import { CliError, OAuthServerError } from "./cli-error.js";
import type { Explanation } from "./explain.js";
import type { HttpMeta } from "./types.js";

const MAX_CAUSES = 5;

export function renderHttpMeta(http: HttpMeta | undefined, style: Style): string[] {
  if (!http) return [];
  const parts: string[] = [];
  if (http.status !== undefined) parts.push(`HTTP ${http.status}${http.statusText ? ` ${http.statusText}` : ""}`);
  if (http.contentType) parts.push(http.contentType);
  const lines = parts.length ? [style.dim(`  ${parts.join(" · ")}`)] : [];
  for (const [name, value] of Object.entries(http.requestIds)) lines.push(style.dim(`  ${name}: ${value}`));
  if (http.wwwAuthenticate) lines.push(style.dim(`  www-authenticate: ${http.wwwAuthenticate}`));
  return lines;
}

/** The explanation as the terminal shows it: meaning, spec, ranked causes with evidence, what to try. */
export function renderExplanation(explanation: Explanation, style: Style): string {
  const { report } = explanation;
  const lines: string[] = [];
  lines.push(`${style.bold(report.error || "(no error code)")} — ${explanation.title}`);
  if (explanation.meaning) lines.push(`  ${explanation.meaning}`);
  if (explanation.spec) lines.push(`  ${style.cyan(explanation.spec.name)}  ${explanation.spec.url}`);
  for (const ref of explanation.references) lines.push(`  ${style.cyan(ref.name)}  ${ref.url}`);
  if (explanation.usedAt.length) lines.push(style.dim(`  used at: ${explanation.usedAt.join(", ")}${explanation.expectedStatus.length ? ` · expected HTTP ${explanation.expectedStatus.join("/")}` : ""}`));
  if (explanation.statusNote) lines.push(style.yellow(`  note: ${explanation.statusNote}`));
  if (explanation.causes.length) {
    lines.push("", style.bold("Likely causes, most likely first:"));
    explanation.causes.slice(0, MAX_CAUSES).forEach((cause, i) => {
      lines.push(`  ${i + 1}. ${cause.text}`);
      for (const evidence of cause.evidence) lines.push(style.green(`     seen: ${evidence}`));
      if (cause.test) lines.push(style.dim(`     test: ${cause.test}`));
    });
  }
  if (explanation.nextSteps.length) {
    lines.push("", style.bold("What to try:"));
    for (const step of explanation.nextSteps.slice(0, 6)) lines.push(`  - ${step}`);
  }
  return `${lines.join("\n")}\n`;
}

/** stderr text for any CliError; OAuth errors are explained from the catalogue. */
export async function renderError(error: CliError, ctx: Context, options: { verbose: boolean }): Promise<string> {
  const style = await styleFor(ctx, ctx.stderr);
  const lines = [`${style.red(style.bold("error:"))} ${error.message}`];
  for (const detail of error.details) lines.push(detail);
  if (error instanceof OAuthServerError) {
    const { report } = error;
    if (report.descriptions) for (const d of report.descriptions) lines.push(`  - ${d}`);
    if (report.error_uri) lines.push(`  error_uri: ${report.error_uri}`);
    lines.push(...renderHttpMeta(report.http, style));
    const { explainReport } = await import("./explain.js");
    const { diagnose } = await import("./diagnose.js");
    lines.push("", renderExplanation(diagnose(explainReport(report), error.diagnosis), style).trimEnd());
  } else if (error.exchange?.response && !options.verbose) {
    lines.push(style.dim("  (run with -v to see the whole HTTP exchange, secrets redacted)"));
  }
  if (error.hint) lines.push(`${style.yellow("hint:")} ${error.hint}`);
  return `${lines.join("\n")}\n`;
}
