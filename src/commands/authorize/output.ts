import { renderInspection } from "../../jwt/render.js";
import type { OutputMode } from "../../output/format.js";
import { guardOf } from "../../output/sink.js";
import { styleFor } from "../../output/style.js";
import { wrapFor } from "../../output/wrap.js";
import { printTokens } from "../shared/print.js";
import { TokensNotSavedError } from "../shared/save-tokens.js";
import type { Session } from "../shared/session.js";
import type { AuthorizeResult } from "./flow.js";
import { ID_TOKEN_TOLERANCE_SECONDS } from "./id-token.js";

/**
 * The URL always reaches stderr, whatever the output mode: a failed open, no display or SSH must
 * never leave the user without it (security checklist 19). Then the browser, unless --no-open.
 */
export async function presentUrl(session: Session, url: string, opts: { open: boolean; waitingOn?: string; waitSeconds?: number }): Promise<void> {
  const { ctx } = session;
  // The user must be able to open it as printed, whatever parameters it carries.
  guardOf(ctx)?.keep(url);
  ctx.stderr.write(`Open this URL in a browser to sign in:\n\n  ${url}\n\n`);
  if (opts.waitingOn) ctx.stderr.write(`Waiting for the redirect to ${opts.waitingOn} (up to ${opts.waitSeconds} s; Ctrl-C to stop)\n`);
  if (!opts.open) return;
  try {
    await ctx.openBrowser(url);
  } catch (error) {
    session.note(`could not open a browser (${error instanceof Error ? error.message : String(error)}); open the URL above yourself`);
  }
}

/**
 * Tokens in the chosen format (pretty: the checked ID token's header, claims and checks after them);
 * with --no-exchange, what `oauth-cli exchange` needs, as JSON, and the nonce sent, for
 * `oauth-cli inspect --nonce`.
 */
export async function printAuthorizeResult(session: Session, result: AuthorizeResult, mode: OutputMode, flow: { redirectUri: string; verifier?: string; nonce?: string }): Promise<void> {
  if (result.kind === "tokens") {
    const { saved } = result;
    const shown = saved?.kind === "unsaved" ? "json" : mode;
    await printTokens(session, result.tokens, shown);
    const inspection = result.idToken?.ok ? result.idToken.inspection : undefined;
    if (shown === "pretty" && inspection) {
      const style = await styleFor(session.ctx, session.ctx.stdout);
      session.ctx.stdout.write(wrapFor(session.ctx.stdout)(`\n${renderInspection("ID token", inspection, Math.floor(session.ctx.now() / 1000), style, ID_TOKEN_TOLERANCE_SECONDS)}`));
    }
    if (saved && saved.kind !== "saved") throw new TokensNotSavedError(saved);
    return;
  }
  const document = { code: result.code, state: result.state, code_verifier: flow.verifier, redirect_uri: flow.redirectUri, iss: result.iss, nonce: flow.nonce };
  session.ctx.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  session.note("not exchanged (--no-exchange): redeem it soon with oauth-cli exchange --code … --code-verifier … --redirect-uri … (codes live seconds to minutes)");
}
