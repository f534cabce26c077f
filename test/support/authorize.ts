import { main } from "../../src/main.js";
import { type CliRun, createTestContext, type TestContextOptions } from "./cli.js";

export interface AuthorizeRun {
  /** The authorization URL the CLI handed to the "browser" (or printed, with --no-open). */
  readonly url: Promise<URL>;
  readonly done: Promise<CliRun>;
  readonly opened: string[];
}

const URL_ON_STDERR = /Open this URL in a browser to sign in:\n\n {2}(\S+)\n/;

/**
 * Starts `oauth-cli authorize ARGV` in-process. The URL is taken from the context's openBrowser (our
 * "browser"), or, with --no-open, from the line printed on stderr. Rejects if the run ends first.
 */
export function startAuthorize(argv: readonly string[], options: TestContextOptions = {}): AuthorizeRun {
  const opened: string[] = [];
  let resolveUrl!: (url: URL) => void;
  const fromBrowser = new Promise<URL>((resolve) => (resolveUrl = resolve));
  const noOpen = argv.includes("--no-open");
  const ctx = createTestContext({
    ...options,
    openBrowser: async (url) => {
      opened.push(url);
      resolveUrl(new URL(url));
      await options.openBrowser?.(url);
    },
  });
  const done = main(["authorize", ...argv], ctx).then((exitCode): CliRun => ({ exitCode, stdout: ctx.out(), stderr: ctx.err(), ctx }));
  let finished = false;
  void done.finally(() => (finished = true));
  const printed = (async () => {
    while (!finished) {
      const match = URL_ON_STDERR.exec(ctx.err());
      if (match) return new URL(match[1]!);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return new Promise<URL>(() => undefined); // the run ended: `ended` below says why
  })();
  const ended = done.then((run) => {
    throw new Error(`authorize ended (exit ${run.exitCode}) before showing a URL:\n${run.stderr}`);
  });
  ended.catch(() => undefined);
  return { url: Promise.race([noOpen ? printed : fromBrowser, ended]), done, opened };
}

/** The callback URL for the run's redirect_uri with the given query (state from the run unless overridden). */
export function callbackUrl(authUrl: URL, query: Record<string, string | undefined>, base?: string): string {
  const target = new URL(base ?? authUrl.searchParams.get("redirect_uri")!);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) target.searchParams.set(k, v);
  return target.href;
}
