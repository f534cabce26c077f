import type { Style } from "../output/style.js";
import { type Check, failureLine } from "./checks.js";
import type { Inspection } from "./inspect.js";
import { isoDate, relativeTime, TIME_CLAIMS } from "./times.js";

function valueText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Name/value lines, names padded to one column; times also as dates and relative to now. */
function fields(record: Readonly<Record<string, unknown>>, nowSeconds: number, style: Style): string[] {
  const width = Math.max(0, ...Object.keys(record).map((k) => k.length)) + 2;
  return Object.entries(record).map(([name, value]) => {
    const time = (TIME_CLAIMS as readonly string[]).includes(name) && typeof value === "number";
    const extra = time ? style.dim(`  ${isoDate(value)} (${relativeTime(name, value, nowSeconds)})`) : "";
    return `    ${style.bold(name.padEnd(width))}${valueText(value)}${extra}`;
  });
}

export function checkLine(check: Check, style: Style): string {
  return check.ok ? `    ${style.green("✓")} ${check.claim}: ${check.actual}` : `    ${style.red("✗")} ${failureLine(check)}`;
}

/**
 * A token as a person reads it: what it is, the header, the claims (times as dates and "expires in
 * 4 min"), each check with ✓ or ✗, and the verdict.
 */
export function renderInspection(label: string, inspection: Inspection, nowSeconds: number, style: Style, toleranceSeconds: number): string {
  const lines: string[] = [];
  if (inspection.kind === "jwe") {
    lines.push(style.bold(`${label}: an encrypted JWT (JWE, ${valueText(inspection.header.alg)} / ${valueText(inspection.header.enc)})`));
    lines.push("  header", ...fields(inspection.header, nowSeconds, style));
    lines.push(style.dim("  Its claims are encrypted to the recipient's key: only the recipient can decrypt them; nothing else can be checked here."));
    return `${lines.join("\n")}\n`;
  }
  lines.push(style.bold(`${label}: a signed JWT (JWS, ${valueText(inspection.header.alg)})`));
  lines.push("  header", ...fields(inspection.header, nowSeconds, style));
  lines.push("  claims", ...fields(inspection.claims, nowSeconds, style));
  lines.push(`  checks ${style.dim(`(clock tolerance ${toleranceSeconds} s)`)}`, ...inspection.checks.map((c) => checkLine(c, style)));
  const failed = inspection.checks.filter((c) => !c.ok).length;
  lines.push(failed === 0 ? `  ${style.green("✓ valid")}` : `  ${style.red(`✗ not valid: ${failed} check${failed > 1 ? "s" : ""} failed`)}`);
  return `${lines.join("\n")}\n`;
}

/** The same as JSON: header, claims, checks and verdict, as they are. */
export function inspectionJson(inspection: Inspection): Record<string, unknown> {
  if (inspection.kind === "jwe") return { type: "JWE", header: inspection.header, encrypted: true };
  return { type: "JWS", header: inspection.header, claims: inspection.claims, checks: inspection.checks, valid: inspection.valid };
}
