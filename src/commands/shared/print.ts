import type { TokenResult } from "../../oauth/token-response.js";
import { accessTokenAudience, formatTokens, type OutputMode } from "../../output/format.js";
import { styleFor } from "../../output/style.js";
import { wrapFor } from "../../output/wrap.js";
import type { Session } from "./session.js";

/**
 * The result, on stdout, in the chosen format. JSON gains `audience`, the `aud` of a JWT access
 * token (RFC 9068 §2.2), after the server's fields; only when there is one and the server sent no
 * field of that name, so the document stays the server's answer otherwise.
 */
export async function printTokens(session: Session, tokens: TokenResult, mode: OutputMode, extra: Record<string, unknown> = {}): Promise<void> {
  const style = await styleFor(session.ctx, session.ctx.stdout);
  const audience = accessTokenAudience(tokens);
  const added = audience !== undefined && !("audience" in tokens) ? { audience, ...extra } : extra;
  const text = formatTokens(tokens, mode, style, added);
  // Only pretty text wraps: json, env and token output are read by programs, whole lines or not at all.
  session.ctx.stdout.write(mode === "pretty" ? wrapFor(session.ctx.stdout)(text) : text);
}
