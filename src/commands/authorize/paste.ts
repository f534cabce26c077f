import type { Prompter } from "../../context.js";
import { InterruptedError, UsageError } from "../../errors/cli-error.js";
import { validateCallback } from "../../oauth/callback.js";
import { type AuthorizeFlow, type AuthorizeResult, completeAuthorization, expectationOf } from "./flow.js";
import { ask } from "./prompt.js";

export type Pasted = { readonly params: URLSearchParams } | { readonly code: string };

/**
 * Reads what the user pasted: the whole redirect URL (checked like a callback), its query, or a bare code.
 * A URL must point at this run's redirect URI (RFC 8252 §8.10).
 */
export function parsePasted(text: string, redirectUri: string): Pasted {
  const value = text.trim();
  if (value === "") throw new UsageError("--paste: nothing was pasted");
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new UsageError(`--paste: "${value.slice(0, 80)}" is not a URL`);
    }
    const expected = new URL(redirectUri);
    if (url.origin !== expected.origin || url.pathname !== expected.pathname) {
      throw new UsageError("--paste: the pasted URL is not this run's redirect URI", {
        details: [`  pasted:   ${url.origin}${url.pathname}`, `  expected: ${expected.origin}${expected.pathname}`],
      });
    }
    const query = url.searchParams;
    // response_mode=fragment puts the response after '#'.
    const params = query.has("code") || query.has("error") || !url.hash ? query : new URLSearchParams(url.hash.slice(1));
    return { params };
  }
  if (/^[?#]/.test(value) || /(^|&)(code|error|state)=/.test(value)) return { params: new URLSearchParams(value.replace(/^[?#]/, "")) };
  if (/\s/.test(value)) throw new UsageError("--paste: the pasted text is neither a URL nor a code");
  return { code: value };
}

async function readLine(flow: AuthorizeFlow, prompter: Prompter | undefined): Promise<string> {
  const { ctx } = flow.session;
  const message = "Paste the URL the browser ended on (or just the code)";
  if (prompter) return ask(() => prompter.input({ message, validate: (v) => (v.trim() ? true : "paste the URL or the code") }));
  ctx.stderr.write(`${message}, then end with Enter and Ctrl-D:\n`);
  const interrupted = new Promise<never>((_, reject) => {
    if (ctx.signal.aborted) reject(new InterruptedError());
    ctx.signal.addEventListener("abort", () => reject(new InterruptedError()), { once: true });
  });
  const text = await Promise.race([ctx.stdin.readAll(), interrupted]);
  return text.split(/\r?\n/).find((line) => line.trim() !== "") ?? "";
}

/** --paste: no listener; the user brings the redirect back by hand (works over SSH). */
export async function completePasted(flow: AuthorizeFlow, prompter: Prompter | undefined): Promise<AuthorizeResult> {
  const pasted = parsePasted(await readLine(flow, prompter), flow.redirectUri);
  if ("code" in pasted) {
    flow.session.note("a bare code cannot be checked against state and iss; paste the whole URL to have them checked (RFC 9207, RFC 9700 §4.7.1)");
    return completeAuthorization(flow, { kind: "code", code: pasted.code, state: flow.state }, "paste");
  }
  const outcome = validateCallback(pasted.params, expectationOf(flow));
  if (outcome.kind === "not-ours") {
    throw new UsageError(`--paste: the pasted URL is not the response to this run: ${outcome.reason}`, {
      hint: "Open the URL this run printed, sign in, and paste the address the browser ends on.",
    });
  }
  return completeAuthorization(flow, outcome, "paste");
}
