import type { Context, OutputStream } from "../context.js";
import { colorWanted } from "./style.js";
import { headerSecret, isSecretField, MIN_SECRET_LENGTH, mask, redactUrlsIn, safeDecode, scrubForms, secretForms } from "./redact.js";
import { terminalSafe } from "./terminal.js";
import { wrapFor } from "./wrap.js";

/**
 * The one way out for everything a run prints. Diagnostics (stderr: errors, warnings, notes, the -v
 * trace, commander's messages) have every secret the run knows redacted, in every encoding, and
 * URL credentials too, unless --show-secrets; and whatever reaches a terminal has its control
 * characters shown instead of obeyed. So no message path can forget either.
 *
 * The result on stdout (the tokens) is the product: never redacted; made terminal-safe only when
 * stdout is a terminal, so a pipe gets the bytes as sent.
 */
/** Texts larger than this are not searched for secrets to learn (see learnFields). */
const LEARN_LIMIT = 1024 * 1024;

/** Placeholder credentials in our own messages: never a secret, and the point of the message. */
const OWN_PLACEHOLDERS = ["USER:PASSWORD@"];

export class OutputGuard {
  /** form → its mask, for every secret the run has seen. */
  readonly #forms = new Map<string, string>();
  readonly #secrets = new Set<string>();
  /** Starts with the placeholders of our own hints (`http://USER:PASSWORD@host:port`): they show where credentials go. */
  readonly #kept = new Set<string>(OWN_PLACEHOLDERS);
  /**
   * What was handed to learn, not yet learned. A run that prints nothing on stderr (a token to a
   * pipe) never needs the secrets' forms, and working them out costs start-up time (~1 ms: the
   * regular expressions involved are compiled on first use); so they are learned, in the order
   * given, just before the first text is redacted or the secrets are read.
   */
  #pending: (() => void)[] = [];
  showSecrets = false;

  /** Remembers a secret value (and the forms it can take in printed text). */
  addSecret(value: string | undefined): void {
    if (value === undefined || value.length < MIN_SECRET_LENGTH) return;
    this.#pending.push(() => this.#addSecretNow(value));
  }

  #addSecretNow(value: string | undefined): void {
    if (value === undefined || value.length < MIN_SECRET_LENGTH || this.#secrets.has(value)) return;
    this.#secrets.add(value);
    for (const form of secretForms(value)) if (!this.#forms.has(form)) this.#forms.set(form, mask(value));
  }

  /** Learns everything handed to learn so far. */
  #learnPending(): void {
    if (this.#pending.length === 0) return;
    const pending = this.#pending;
    this.#pending = [];
    for (const learn of pending) learn();
  }

  /** How many printed forms of secrets are known so far; reading it learns nothing (tests check that learning waits). */
  get formsKnown(): number {
    return this.#forms.size;
  }

  get secrets(): readonly string[] {
    this.#learnPending();
    return [...this.#secrets];
  }

  /**
   * Text printed on stderr for the user to use as is (the authorization URL to open): never
   * redacted, even when a parameter in it has a secret's name (`request`, `id_token_hint`).
   */
  keep(text: string): void {
    this.#kept.add(text);
  }

  /** Text for stderr: known secrets and URL credentials redacted (unless --show-secrets). */
  redact(text: string): string {
    if (this.showSecrets) return text;
    this.#learnPending();
    // Longest first: a kept text inside another (a code in its URI) must not cut the longer one apart.
    for (const kept of [...this.#kept].sort((a, b) => b.length - a.length)) {
      if (text.includes(kept)) return text.split(kept).map((part) => this.redact(part)).join(kept);
    }
    return redactUrlsIn(scrubForms(text, [...this.#forms]));
  }

  /**
   * Learns the secrets of one outgoing request: credentials in headers (the Basic value and what
   * it decodes to), secret-named parameters in the URL and the body, and the URL's password.
   */
  learnRequest(request: { url: string; headers: Readonly<Record<string, string>>; body?: string }): void {
    // As sent: the caller may reuse its objects.
    const { url, body } = request;
    const headers = Object.entries(request.headers);
    this.#pending.push(() => this.#learnRequestNow(url, headers, body));
  }

  #learnRequestNow(url: string, headers: readonly (readonly [string, string])[], body: string | undefined): void {
    for (const [name, value] of headers) {
      const secret = headerSecret(name, value);
      if (secret === undefined) continue;
      this.#addSecretNow(secret);
      if (/^basic$/i.test(value.slice(0, value.length - secret.length).trim())) this.#learnBasic(secret);
    }
    this.#learnUrlNow(url);
    if (body !== undefined) this.#learnFieldsNow(body);
  }

  /** Secret-named query parameters and the userinfo of a URL. */
  learnUrl(url: string): void {
    this.#pending.push(() => this.#learnUrlNow(url));
  }

  #learnUrlNow(url: string): void {
    const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^/?#@\s]*)@/i.exec(url)?.[1];
    if (userinfo) {
      const colon = userinfo.indexOf(":");
      const secret = colon < 0 ? userinfo : userinfo.slice(colon + 1);
      this.#addSecretNow(secret);
      this.#addSecretNow(safeDecode(secret));
    }
    const q = url.search(/[?#]/);
    if (q >= 0) for (const part of url.slice(q + 1).split("#")) this.#learnFieldsNow(part);
  }

  /** Secret-named fields of a JSON object or a form body. */
  learnFields(body: string): void {
    this.#pending.push(() => this.#learnFieldsNow(body));
  }

  #learnFieldsNow(body: string): void {
    // Bigger is no token response or request of ours; its secrets were known before it was built.
    if (body.length > LEARN_LIMIT) return;
    const trimmed = body.trim();
    if (trimmed.startsWith("{")) {
      try {
        this.#learnJson(JSON.parse(trimmed), 0);
        return;
      } catch {
        // not JSON after all: try it as a form
      }
    }
    for (const pair of trimmed.split("&")) {
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = safeDecode(pair.slice(0, eq).replace(/\+/g, " "));
      if (!isSecretField(name)) continue;
      const raw = pair.slice(eq + 1);
      this.#addSecretNow(raw);
      this.#addSecretNow(safeDecode(raw.replace(/\+/g, " ")));
    }
  }

  #learnJson(value: unknown, depth: number): void {
    if (depth > 10 || typeof value !== "object" || value === null) return;
    for (const [key, field] of Object.entries(value)) {
      if (typeof field === "string" && isSecretField(key)) this.#addSecretNow(field);
      else this.#learnJson(field, depth + 1);
    }
  }

  /** `Basic base64(id:secret)`: the secret inside is one too, as is its form-decoded value (RFC 6749 §2.3.1). */
  #learnBasic(encoded: string): void {
    if (encoded.length > LEARN_LIMIT) return;
    const decoded = Buffer.from(encoded, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return;
    const secret = decoded.slice(colon + 1);
    this.#addSecretNow(secret);
    this.#addSecretNow(safeDecode(secret.replace(/\+/g, " ")));
  }
}

const guards = new WeakMap<Context, OutputGuard>();
/** The streams under a guarded context, for the one terminal control of ours the sink would show: see {@link eraseLine}. */
const rawStderr = new WeakMap<Context, OutputStream>();

/** Per guarded context: stderr's filter without the wrapping, for data (see {@link writeVerbatim}). */
const verbatimStderr = new WeakMap<Context, (text: string) => void>();

/** The guard of a context made by {@link guardContext}, if it is one. */
export function guardOf(ctx: Context): OutputGuard | undefined {
  return guards.get(ctx);
}

/**
 * Carriage return and erase line on stderr, for a live status line of ours (the device countdown).
 * The sink shows `\r` and ESC from any text, so this fixed sequence, and nothing else, goes around it.
 */
export function eraseLine(ctx: Context): void {
  (rawStderr.get(ctx) ?? ctx.stderr).write("\r\u001b[2K");
}

/**
 * Writes data on stderr that must keep its lines as they are on a terminal too: the -v trace (one
 * header or body line per line, to compare with the server's logs), a QR code, the live countdown
 * (a line broken in two could not be erased). Still redacted and made terminal-safe.
 */
export function writeVerbatim(ctx: Context, text: string): void {
  const write = verbatimStderr.get(ctx);
  if (write) write(text);
  else ctx.stderr.write(text);
}

function wrap(stream: OutputStream, filter: (text: string) => string): OutputStream {
  // Bytes (a response body `request` streams) pass as they are to a pipe or file; a terminal gets
  // no writeBytes, so they come as text through write() and its filter.
  const writeBytes = stream.isTTY ? undefined : stream.writeBytes?.bind(stream);
  return {
    write: (chunk) => stream.write(filter(chunk)),
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
    ...(writeBytes && { writeBytes }),
  };
}

/**
 * The context a run uses: the same, with stdout and stderr going through one {@link OutputGuard}.
 * Guarding a guarded context returns it unchanged.
 */
export function guardContext(ctx: Context): Context {
  if (guards.has(ctx)) return ctx;
  const guard = new OutputGuard();
  const stderrColour = colorWanted(ctx, ctx.stderr);
  const stdoutColour = colorWanted(ctx, ctx.stdout);
  const stderrSafe = (text: string) => terminalSafe(guard.redact(text), stderrColour);
  const guarded: Context = {
    ...ctx,
    // Messages (warning:, note:, hint:, an error's explanation, prompts) fit the terminal's width,
    // measured after redaction changed their length; a pipe or file gets whole lines (wrapFor).
    stderr: wrap(ctx.stderr, (text) => wrapFor(ctx.stderr)(stderrSafe(text))),
    stdout: wrap(ctx.stdout, (text) => (ctx.stdout.isTTY ? terminalSafe(text, stdoutColour) : text)),
  };
  guards.set(guarded, guard);
  rawStderr.set(guarded, ctx.stderr);
  verbatimStderr.set(guarded, (text) => ctx.stderr.write(stderrSafe(text)));
  return guarded;
}
