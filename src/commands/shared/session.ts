import type { Context } from "../../context.js";
import { InterruptedError, UsageError } from "../../errors/cli-error.js";
import type { HttpExchange, HttpRequest } from "../../http/types.js";
import { guardContext, guardOf, type OutputGuard, writeVerbatim } from "../../output/sink.js";
import { visible } from "../../output/terminal.js";
import { formatExchange } from "../../output/trace.js";

export interface SessionOptions {
  readonly verbose: boolean;
  readonly showSecrets: boolean;
  readonly timeoutMs: number;
  readonly caFile?: string;
}

/**
 * One run of one command: the context plus the run's transport settings, the secrets it must
 * never print, and the single read of stdin that `-` allows.
 */
export class Session {
  readonly ctx: Context;
  readonly options: SessionOptions;
  #stdinClaimedBy: string | undefined;
  /** Every line the run prints goes through it: secrets redacted, control characters shown (output/sink.ts). */
  readonly #guard: OutputGuard;
  #clientCertificate: { readonly cert: string; readonly key: string } | undefined;

  constructor(ctx: Context, options: SessionOptions) {
    this.ctx = guardContext(ctx);
    this.#guard = guardOf(this.ctx)!;
    this.#guard.showSecrets = options.showSecrets;
    this.options = options;
    // Secrets are only ever shown in the -v trace: a flag that silently does nothing misleads.
    if (options.showSecrets && !options.verbose) this.warn("--show-secrets does nothing without -v (--verbose): only the trace -v prints can show secrets");
  }

  /** A secret of this run: redacted, in any of its forms, from every line it prints. */
  addSecret(value: string | undefined): void {
    this.#guard.addSecret(value);
  }

  /** From now on, every request offers this client certificate (mutual TLS, RFC 8705). */
  useClientCertificate(certificate: { readonly cert: string; readonly key: string }): void {
    this.#clientCertificate = certificate;
  }

  /** One line: a line break in the message (a server's words in it) is shown, so it cannot forge a line of ours. */
  warn(message: string): void {
    this.ctx.stderr.write(`warning: ${visible(message)}\n`);
  }

  note(message: string): void {
    this.ctx.stderr.write(`note: ${visible(message)}\n`);
  }

  /**
   * Reads stdin for the flag that said `-`; only one flag may. A secret (a flag marked `secret` in
   * its table) on a terminal is asked for with echo off and ended by Enter, so it never shows on
   * the screen or in the scrollback; from a pipe or file, it is read to the end as anything else.
   */
  async readStdin(flag: string, options: { secret?: boolean } = {}): Promise<string> {
    if (this.#stdinClaimedBy) throw new UsageError(`${flag} -: standard input is already used by ${this.#stdinClaimedBy}`);
    this.#stdinClaimedBy = flag;
    if (options.secret && this.ctx.stdin.isTTY) {
      const prompter = await this.ctx.prompter();
      if (prompter?.password) {
        const typed = await prompter.password({ message: `${flag} (not shown as you type; Enter ends it)`, validate: (v) => v.trim() !== "" || "nothing typed yet" });
        return typed.trim();
      }
    }
    if (this.ctx.stdin.isTTY) this.ctx.stderr.write(`Reading ${flag} from standard input (end with Ctrl-D):\n`);
    const text = await this.ctx.stdin.readAll();
    // A trailing newline from `echo` or a file is never part of the value.
    const value = text.replace(/\r?\n$/, "");
    if (value === "") throw new UsageError(`${flag} -: standard input was empty`);
    return value;
  }

  /** Sends one request. Nothing is traced: the caller decides when (see trace()). */
  async send(request: HttpRequest): Promise<HttpExchange> {
    if (this.ctx.signal.aborted) throw new InterruptedError();
    // What we send in a secret slot is a secret wherever a server echoes it back (an error text).
    this.#guard.learnRequest(request);
    const exchange = await this.ctx.http.send(request, {
      timeoutMs: this.options.timeoutMs,
      caFile: this.options.caFile,
      ...(this.#clientCertificate && { clientCertificate: this.#clientCertificate }),
      signal: this.ctx.signal,
    });
    // A secret-named field in any answer (a token, an echo of ours) is one too.
    if (exchange.response) this.#guard.learnFields(exchange.response.body);
    if (exchange.failure?.kind === "aborted") throw new InterruptedError();
    return exchange;
  }

  /** Trace lines on stderr (-v): data, so never wrapped to the terminal like messages are. */
  traceText(text: string): void {
    writeVerbatim(this.ctx, text);
  }

  /** With --verbose, the exchange on stderr, curl -v style, secrets redacted. */
  trace(exchange: HttpExchange): void {
    if (!this.options.verbose) return;
    try {
      this.traceText(formatExchange(exchange, { showSecrets: this.options.showSecrets, secrets: this.#guard.secrets }));
    } catch (error) {
      // The trace is a bonus: tokens already received must still be printed.
      this.warn(`could not trace the exchange with ${exchange.request.url}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** A GET for JSON (discovery), traced at once: no secret comes back from it. */
  async get(url: string): Promise<HttpExchange> {
    const exchange = await this.send({ method: "GET", url, headers: { Accept: "application/json" } });
    this.trace(exchange);
    return exchange;
  }
}
