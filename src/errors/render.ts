import type { Context } from "../context.js";
import { styleFor, type Style } from "../output/style.js";
import { visible } from "../output/terminal.js";
import { CliError, OAuthServerError } from "./cli-error.js";
import { providerName } from "./catalogue/provider-names.js";
import type { Explanation } from "./explain.js";
import type { HttpMeta, OAuthErrorReport } from "./types.js";

const MAX_CAUSES = 5;

export function renderHttpMeta(http: HttpMeta | undefined, style: Style): string[] {
  if (!http) return [];
  const parts: string[] = [];
  if (http.status !== undefined) parts.push(`HTTP ${http.status}${http.statusText ? ` ${http.statusText}` : ""}`);
  if (http.contentType) parts.push(http.contentType);
  // Everything here is the server's text: shown, never obeyed by the terminal.
  const lines = parts.length ? [style.dim(`  ${visible(parts.join(" · "))}`)] : [];
  for (const [name, value] of Object.entries(http.requestIds)) lines.push(style.dim(`  ${visible(name)}: ${visible(value)}`));
  if (http.wwwAuthenticate) lines.push(style.dim(`  www-authenticate: ${visible(http.wwwAuthenticate)}`));
  return lines;
}

/** The explanation as the terminal shows it: meaning, spec, ranked causes with evidence, what to try. */
export function renderExplanation(explanation: Explanation, style: Style): string {
  const { report } = explanation;
  const lines: string[] = [];
  lines.push(`${style.bold(report.error ? visible(report.error) : "(no error code)")} — ${visible(explanation.title)}`);
  if (explanation.meaning) lines.push(`  ${visible(explanation.meaning)}`);
  if (explanation.spec) lines.push(`  ${style.cyan(explanation.spec.name)}  ${explanation.spec.url}`);
  for (const ref of explanation.references) lines.push(`  ${style.cyan(ref.name)}  ${ref.url}`);
  if (explanation.usedAt.length || explanation.expectedStatus.length) {
    const status = explanation.expectedStatus.length ? `expected HTTP ${explanation.expectedStatus.join("/")}` : "no HTTP status of its own (sent in a redirect)";
    lines.push(style.dim(`  used at: ${explanation.usedAt.join(", ") || "?"} · ${status}`));
  }
  if (explanation.providers.length) lines.push(style.dim(`  provider: ${explanation.providers.map((p) => `${providerName(p.provider)} (${p.because})`).join("; ")}`));
  if (explanation.statusNote) lines.push(style.yellow(`  note: ${explanation.statusNote}`));
  if (explanation.causes.length) {
    lines.push("", style.bold("Likely causes, most likely first:"));
    explanation.causes.slice(0, MAX_CAUSES).forEach((cause, i) => {
      lines.push(`  ${i + 1}. ${visible(cause.text)}`);
      // Evidence quotes what the server said.
      for (const evidence of cause.evidence) lines.push(style.green(`     seen: ${visible(evidence)}`));
      if (cause.test) lines.push(style.dim(`     test: ${cause.test}`));
    });
  }
  if (explanation.nextSteps.length) {
    lines.push("", style.bold("What to try:"));
    for (const step of explanation.nextSteps.slice(0, 6)) lines.push(`  - ${visible(step)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The ranked explanation of a failed run: the catalogue's, re-ranked with what the run saw. */
async function explainServerError(error: OAuthServerError): Promise<Explanation> {
  const { explainReport } = await import("./explain.js");
  const { diagnose } = await import("./diagnose.js");
  return diagnose(explainReport(error.report, { endpoint: error.exchange?.request.url }), error.diagnosis);
}

/**
 * With `-o json`: a server's OAuth error as one line of JSON, the shape of `decode-error --json`
 * plus the run's message and exit code, so a CI step can tell why it failed without parsing prose.
 */
export async function renderErrorJson(error: OAuthServerError): Promise<string> {
  const explained = explanationJson(await explainServerError(error));
  // notes: what decode-error's parser remarks on; a live run's answer needs none.
  return `${JSON.stringify({ ...explained, notes: [], message: error.message, exitCode: error.exitCode })}\n`;
}

/** stderr text for any CliError; OAuth errors are explained from the catalogue. */
export async function renderError(error: CliError, ctx: Context, options: { verbose: boolean }): Promise<string> {
  const style = await styleFor(ctx, ctx.stderr);
  // Messages and details are one line each and may quote a server: a line break in them is the
  // server's, shown as \n so it cannot forge a line of ours (a fake `hint:`).
  const lines = [`${style.red(style.bold("error:"))} ${visible(error.message)}`];
  for (const detail of error.details) lines.push(visible(detail));
  if (error instanceof OAuthServerError) {
    const { report } = error;
    // The headline already carries every description item (joined once); list them only when it had to shorten.
    if (report.descriptions) for (const d of new Set(report.descriptions)) if (!error.message.includes(d)) lines.push(`  - ${visible(d)}`);
    if (report.error_uri) lines.push(`  error_uri: ${visible(report.error_uri)}`);
    lines.push(...renderHttpMeta(report.http, style));
    lines.push("", renderExplanation(await explainServerError(error), style).trimEnd());
  } else if (error.exchange?.response && !options.verbose) {
    lines.push(style.dim("  (run with -v to see the whole HTTP exchange, secrets redacted)"));
  }
  if (error.hint) lines.push(`${style.yellow("hint:")} ${error.hint}`);
  return `${lines.join("\n")}\n`;
}

/** What `decode-error` prints: what was read (the provider's words, HTTP facts), then the explanation. */
export function renderDecoded(explanations: readonly Explanation[], notes: readonly string[], style: Style): string {
  const blocks = explanations.map((explanation) => {
    const { report } = explanation;
    const lines: string[] = [];
    lines.push(renderExplanation(explanation, style).trimEnd());
    const read: string[] = [style.dim(`  read as: ${FORMAT_NAMES[report.format]}`)];
    if (report.error_description !== undefined) {
      const items = report.descriptions && report.descriptions.length > 1 ? report.descriptions : [report.error_description];
      // Quoted as JSON does, and C1 and bidi controls made visible too (JSON.stringify leaves those raw).
      read.push(`  ${style.bold("provider said:")} ${items.map((d) => `"${visible(JSON.stringify(d).slice(1, -1))}"`).join("\n                 ")}`);
    }
    if (report.providerCodes?.length) read.push(`  provider codes: ${visible(report.providerCodes.join(", "))}`);
    if (report.error_uri) read.push(`  error_uri: ${visible(report.error_uri)}`);
    if (report.state !== undefined) read.push(style.dim(`  state: ${visible(report.state)}`));
    read.push(...renderHttpMeta(report.http, style));
    // The provider's words go right under the headline, before the catalogue's.
    const [headline, ...rest] = lines.join("\n").split("\n");
    return [headline, ...read, ...rest].join("\n");
  });
  const out = blocks.join(`\n\n${style.dim("— another challenge in the same header —")}\n\n`);
  const noteLines = notes.map((n) => style.dim(`note: ${visible(n)}`));
  return `${[out, ...(noteLines.length ? ["", ...noteLines] : [])].join("\n")}\n`;
}

const FORMAT_NAMES: Readonly<Record<OAuthErrorReport["format"], string>> = {
  rfc6749: "a JSON error body (RFC 6749 §5.2)",
  "legacy-envelope": "a legacy {success:false, errorMessage} envelope",
  "sdk-exception": "an SDK exception (ErrorCode, ErrorDescription, HttpMeta)",
  envelope: "a provider's JSON error envelope",
  form: "a form-encoded body or query string",
  redirect: "a redirect URL carrying error=",
  "www-authenticate": "a WWW-Authenticate challenge (RFC 6750 §3 / RFC 9449 §7.1)",
  "provider-message": "a provider's message",
  code: "a bare error code",
  "http-status": "an HTTP status without an OAuth error",
};

/** The explanation as one JSON object (`decode-error --json`). */
export function explanationJson(explanation: Explanation): Record<string, unknown> {
  const { report } = explanation;
  return {
    error: report.error,
    format: report.format,
    error_description: report.error_description,
    descriptions: report.descriptions,
    error_uri: report.error_uri,
    state: report.state,
    providerCodes: report.providerCodes,
    http: report.http,
    extra: report.extra,
    known: explanation.known,
    ...(explanation.didYouMean && { didYouMean: explanation.didYouMean }),
    title: explanation.title,
    meaning: explanation.meaning,
    spec: explanation.spec,
    references: explanation.references,
    usedAt: explanation.usedAt,
    expectedStatus: explanation.expectedStatus,
    statusNote: explanation.statusNote,
    providers: explanation.providers.map((p) => ({ provider: providerName(p.provider), because: p.because })),
    causes: explanation.causes.map(({ id, text, test, evidence }) => ({ id, text, test, evidence })),
    nextSteps: explanation.nextSteps,
    matched: explanation.recognised.map((r) => ({ ...r, provider: providerName(r.provider) })),
  };
}
