import type { IntrospectionResult } from "../../oauth/token-management.js";
import type { Style } from "../../output/style.js";

/** RFC 7662 §2.2's NumericDate fields: shown as dates, and how far from now. */
const TIME_FIELDS = new Set(["exp", "iat", "nbf", "auth_time"]);

/** "in 59 min", "3 h ago": enough to see at a glance whether a time has passed. */
export function relativeTime(seconds: number, nowMs: number): string {
  const delta = Math.round(seconds - nowMs / 1000);
  const size = Math.abs(delta);
  const amount = size < 120 ? `${size} s` : size < 7200 ? `${Math.round(size / 60)} min` : size < 172_800 ? `${Math.round(size / 3600)} h` : `${Math.round(size / 86_400)} days`;
  return delta >= 0 ? `in ${amount}` : `${amount} ago`;
}

function shown(name: string, value: unknown, nowMs: number): string {
  if (TIME_FIELDS.has(name) && typeof value === "number" && Number.isFinite(value)) {
    return `${new Date(value * 1000).toISOString()} (${relativeTime(value, nowMs)})`;
  }
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The answer for a person: active or not first, then each field, times readable. */
export function formatIntrospectionPretty(result: IntrospectionResult, style: Style, nowMs: number): string {
  const lines = [result.active ? style.green(style.bold("✓ active")) : style.yellow(style.bold("✗ not active"))];
  if (!result.active) lines.push(style.dim("  the server says nothing more about an inactive token (RFC 7662 §2.2): expired, revoked, unknown to it, or not yours to ask about"));
  const fields = Object.entries(result).filter(([name, value]) => name !== "active" && value !== undefined);
  const width = Math.max(0, ...fields.map(([name]) => name.length));
  for (const [name, value] of fields) lines.push(`  ${style.bold(name.padEnd(width))}  ${shown(name, value, nowMs)}`);
  if (typeof result.exp === "number" && result.active && result.exp * 1000 < nowMs) {
    lines.push(style.yellow(`  note: the server says active, but exp has passed by our clock (check both clocks)`));
  }
  return `${lines.join("\n")}\n`;
}

/** The answer for a script: the object as the server sent it. */
export function formatIntrospectionJson(result: IntrospectionResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
