import type { TokenResult } from "../../oauth/token-response.js";
import { formatTokens, type OutputMode } from "../../output/format.js";
import { styleFor } from "../../output/style.js";
import { wrapFor } from "../../output/wrap.js";
import type { Session } from "./session.js";

/** The result, on stdout, in the chosen format. */
export async function printTokens(session: Session, tokens: TokenResult, mode: OutputMode, extra: Record<string, unknown> = {}): Promise<void> {
  const style = await styleFor(session.ctx, session.ctx.stdout);
  const text = formatTokens(tokens, mode, style, extra);
  // Only pretty text wraps: json, env and token output are read by programs, whole lines or not at all.
  session.ctx.stdout.write(mode === "pretty" ? wrapFor(session.ctx.stdout)(text) : text);
}
