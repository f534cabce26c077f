import type { Context } from "../../context.js";
import { InterruptedError, UsageError } from "../../errors/cli-error.js";
import type { HttpExchange, HttpRequest } from "../../http/types.js";
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
  /** Literal secret values known in this run, scrubbed from every trace. */
  readonly secrets: string[] = [];
  #stdinClaimedBy: string | undefined;
  #clientCertificate: { readonly cert: string; readonly key: string } | undefined;

  constructor(ctx: Context, options: SessionOptions) {
    this.ctx = ctx;
    this.options = options;
  }

  addSecret(value: string | undefined): void {
    if (value) this.secrets.push(value);
  }

  /** From now on, every request offers this client certificate (mutual TLS, RFC 8705). */
  useClientCertificate(certificate: { readonly cert: string; readonly key: string }): void {
    this.#clientCertificate = certificate;
  }

  warn(message: string): void {
    this.ctx.stderr.write(`warning: ${message}\n`);
  }

  note(message: string): void {
    this.ctx.stderr.write(`note: ${message}\n`);
  }

  /** Reads stdin for the flag that said `-`; only one flag may. */
  async readStdin(flag: string): Promise<string> {
    if (this.#stdinClaimedBy) throw new UsageError(`${flag} -: standard input is already used by ${this.#stdinClaimedBy}`);
    this.#stdinClaimedBy = flag;
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
    const exchange = await this.ctx.http.send(request, {
      timeoutMs: this.options.timeoutMs,
      caFile: this.options.caFile,
      ...(this.#clientCertificate && { clientCertificate: this.#clientCertificate }),
      signal: this.ctx.signal,
    });
    if (exchange.failure?.kind === "aborted") throw new InterruptedError();
    return exchange;
  }

  /** With --verbose, the exchange on stderr, curl -v style, secrets redacted. */
  trace(exchange: HttpExchange): void {
    if (this.options.verbose) {
      this.ctx.stderr.write(formatExchange(exchange, { showSecrets: this.options.showSecrets, secrets: this.secrets }));
    }
  }

  /** A GET for JSON (discovery), traced at once: no secret comes back from it. */
  async get(url: string): Promise<HttpExchange> {
    const exchange = await this.send({ method: "GET", url, headers: { Accept: "application/json" } });
    this.trace(exchange);
    return exchange;
  }
}
