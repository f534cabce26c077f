import type { HttpClient } from "./http/types.js";

export interface OutputStream {
  write(chunk: string): void;
  readonly isTTY: boolean;
}

export interface InputStream {
  readonly isTTY: boolean;
  /**
   * Everything until end of input (for `-`). With `until`, reading may stop early, after a line
   * for which `until(linesSoFar)` is true (a paste on a terminal that ends with an empty line).
   */
  readAll(options?: { until?: (lines: readonly string[]) => boolean }): Promise<string>;
}

/** Interactive questions. Only ever used when stdin and stderr are TTYs. */
export interface Prompter {
  input(question: { message: string; default?: string; validate?: (v: string) => true | string }): Promise<string>;
  checkbox(question: { message: string; choices: { value: string; checked?: boolean }[] }): Promise<string[]>;
  /** A hidden answer (a key's passphrase): nothing echoed. */
  password?(question: { message: string }): Promise<string>;
}

/**
 * Everything a command may touch in the outside world. systemContext() builds the real one;
 * tests build their own, so commands run in-process against buffers.
 */
export interface Context {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly stdin: InputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly http: HttpClient;
  /** ms since epoch. */
  now(): number;
  /**
   * Waits `ms` (the device flow's polling), rejecting when `signal` aborts. Optional: without it a
   * plain timer waits; tests give one that records each wait and returns sooner.
   */
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
  randomBytes(size: number): Uint8Array;
  /** Opens a URL in the user's browser; rejects when that is not possible. */
  openBrowser(url: string): Promise<void>;
  /** Lazily created; undefined when there is no terminal to ask on. */
  prompter(): Promise<Prompter | undefined>;
  /** Aborted when the run is interrupted: Ctrl-C (SIGINT) or SIGTERM. */
  readonly signal: AbortSignal;
  readonly cwd: string;
  readonly homedir: string;
}
