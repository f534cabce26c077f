import type { Prompter } from "../../context.js";
import { InterruptedError } from "../../errors/cli-error.js";
import type { ServerMetadata } from "../../oauth/discovery.js";
import { checkRequired, missingFlags } from "../shared/required.js";
import type { Session } from "../shared/session.js";
import { AUTHORIZE_REQUIRED, type AuthorizeOptions } from "./flags.js";

/** inquirer throws its own errors on Ctrl-C; they become exit 130 like every interruption. */
export async function ask<T>(question: () => Promise<T>): Promise<T> {
  try {
    return await question();
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === "ExitPromptError" || name === "AbortPromptError" || name === "CancelPromptError") throw new InterruptedError();
    throw error;
  }
}

function validateUrl(value: string): true | string {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? true : "an http(s) URL, please";
  } catch {
    return "not a URL";
  }
}

/**
 * Fills a missing client id or endpoint by asking, on a terminal only. Without one (CI, pipes)
 * nothing is asked: one usage error names every missing flag.
 * Returns the prompter when it asked, so the scopes can be offered once the metadata is known.
 */
export async function askForMissing(session: Session, opts: AuthorizeOptions): Promise<{ opts: AuthorizeOptions; prompter?: Prompter }> {
  const env = session.ctx.env;
  const [missingEndpoint, missingClient] = AUTHORIZE_REQUIRED.map((requirement) => !requirement.met(opts, env));
  if (missingFlags(AUTHORIZE_REQUIRED, opts, env).length === 0) return { opts };
  const prompter = await session.ctx.prompter();
  const filled = { ...opts };
  if (prompter && missingEndpoint) filled.issuer = (await ask(() => prompter.input({ message: "Issuer URL", validate: validateUrl }))).trim();
  if (prompter && missingClient) filled.clientId = (await ask(() => prompter.input({ message: "Client id", validate: (v) => (v.trim() ? true : "a client id, please") }))).trim();
  // Without a terminal nothing was asked: this names every missing flag at once.
  checkRequired(AUTHORIZE_REQUIRED, filled, env);
  return { opts: filled, prompter };
}

/**
 * Without --scope and without a terminal to ask on: `openid` when the server is an OpenID provider
 * (it lists openid in scopes_supported), since many grant nothing to a request with no scope; else
 * none, and the server's default applies. Said on stderr either way.
 */
export function defaultScope(session: Session, metadata: ServerMetadata | undefined): string | undefined {
  if (metadata?.scopes_supported?.includes("openid")) {
    session.note('no --scope given: asking for "openid", which this OpenID provider supports (give --scope to choose)');
    return "openid";
  }
  session.note("no --scope given: the request carries none, so the server's default scope applies");
  return undefined;
}

/** The scopes as a checklist built from the server's scopes_supported; openid is ticked when offered. */
export async function askForScopes(prompter: Prompter, metadata: ServerMetadata | undefined): Promise<string | undefined> {
  const supported = metadata?.scopes_supported;
  if (!supported || supported.length === 0) {
    const typed = await ask(() => prompter.input({ message: "Scopes (space-separated, empty for none)" }));
    return typed.trim() || undefined;
  }
  const chosen = await ask(() =>
    prompter.checkbox({ message: "Scopes to request", choices: supported.map((value) => ({ value, checked: value === "openid" })) }),
  );
  return chosen.length ? chosen.join(" ") : undefined;
}
