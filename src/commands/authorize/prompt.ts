import type { Prompter } from "../../context.js";
import { InterruptedError } from "../../errors/cli-error.js";
import { discoverWithSource, type ServerMetadata } from "../../oauth/discovery.js";
import { checkRequired, missingFlags } from "../shared/required.js";
import type { Endpoints } from "../shared/resolve.js";
import type { Session } from "../shared/session.js";
import { suggestScheme } from "../shared/url-scheme.js";
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
  const suggested = suggestScheme(value);
  if (suggested) return `no http:// or https:// in it: did you mean ${suggested}?`;
  try {
    const url = new URL(value.trim());
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
  if (prompter && missingEndpoint) {
    // Each answer is checked when it is given: its form, then its discovery document, so a typo
    // costs one question, not a client id typed for nothing and a "connection refused" at the end.
    const validate = async (value: string): Promise<true | string> => {
      const form = validateUrl(value);
      if (form !== true) return form;
      try {
        await discoverWithSource(value.trim(), (url) => session.get(url));
        return true;
      } catch (error) {
        return `no discovery document from ${value.trim()}: ${(error as Error).message}`;
      }
    };
    filled.issuer = (await ask(() => prompter.input({ message: "Issuer URL (its discovery document is fetched to check it)", validate }))).trim();
  }
  if (prompter && missingClient) filled.clientId = (await ask(() => prompter.input({ message: "Client id", validate: (v) => (v.trim() ? true : "a client id, please") }))).trim();
  // Without a terminal nothing was asked: this names every missing flag at once.
  checkRequired(AUTHORIZE_REQUIRED, filled, env);
  return { opts: filled, prompter };
}

/**
 * Is this an OpenID Provider? scopes_supported is only RECOMMENDED and many providers omit it, so
 * without it the other signs count: the document was the OpenID configuration, or it publishes what
 * only an OpenID Provider has (userinfo_endpoint, id_token_signing_alg_values_supported, which is
 * REQUIRED there). A scopes_supported that leaves openid out is the server's own answer: no.
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 */
export function isOpenIdProvider(endpoints: Pick<Endpoints, "metadata" | "openIdConfiguration">): boolean {
  const metadata = endpoints.metadata;
  if (!metadata) return false;
  if (Array.isArray(metadata.scopes_supported)) return metadata.scopes_supported.includes("openid");
  return endpoints.openIdConfiguration === true || typeof metadata.userinfo_endpoint === "string" || Array.isArray(metadata.id_token_signing_alg_values_supported);
}

/**
 * Without --scope and without a terminal to ask on: `openid` when the server is an OpenID provider
 * (see isOpenIdProvider), since many grant nothing to a request with no scope; else none, and the
 * server's default applies. Said on stderr either way, with the reason.
 */
export function defaultScope(session: Session, endpoints: Pick<Endpoints, "metadata" | "openIdConfiguration">): string | undefined {
  if (isOpenIdProvider(endpoints)) {
    const why = endpoints.metadata?.scopes_supported ? "which this OpenID provider lists" : "since this server is an OpenID provider (its metadata has no scopes_supported)";
    session.note(`no --scope given: asking for "openid", ${why} (give --scope to choose)`);
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
