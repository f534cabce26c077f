import type { HttpExchange } from "../http/types.js";
import type { DiagnosisContext } from "./facts.js";
import type { OAuthErrorReport } from "./types.js";

/** Evidence the command holds about the request it just made, used to rank causes: one shape per kind of run. */
export type { DiagnosisContext } from "./facts.js";

/** Exit codes: the contract with scripts. Documented in README and --help. */
export const ExitCode = {
  ok: 0,
  oauth: 1,
  usage: 2,
  network: 3,
  protocol: 4,
  /** Tokens came back but could not be saved where asked; they went somewhere else, said on stderr. */
  notSaved: 5,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface CliErrorOptions {
  /** Extra lines printed under the message. */
  readonly details?: readonly string[];
  /** What to do about it, one or two sentences. */
  readonly hint?: string;
  readonly exchange?: HttpExchange;
  readonly cause?: unknown;
}

/** Every failure the user should see as a message (never a stack trace) is one of these. */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly details: readonly string[];
  readonly hint: string | undefined;
  readonly exchange: HttpExchange | undefined;

  constructor(exitCode: ExitCode, message: string, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CliError";
    this.exitCode = exitCode;
    this.details = options.details ?? [];
    this.hint = options.hint;
    this.exchange = options.exchange;
  }
}

/** Missing or bad flags or input (exit 2). The message names what was wrong. */
export class UsageError extends CliError {
  constructor(message: string, options?: CliErrorOptions) {
    super(ExitCode.usage, message, options);
    this.name = "UsageError";
  }
}

/** Network, TLS or timeout (exit 3). */
export class NetworkError extends CliError {
  constructor(message: string, options?: CliErrorOptions) {
    super(ExitCode.network, message, options);
    this.name = "NetworkError";
  }
}

/** The server broke the protocol: unparseable or non-conforming response (exit 4). */
export class ProtocolError extends CliError {
  constructor(message: string, options?: CliErrorOptions) {
    super(ExitCode.protocol, message, options);
    this.name = "ProtocolError";
  }
}

export class InterruptedError extends CliError {
  constructor(message = "interrupted") {
    super(ExitCode.interrupted, message);
    this.name = "InterruptedError";
  }
}

/**
 * The server's description with each item said once: a legacy envelope often repeats its
 * errorMessage in errorDetails, which would otherwise print as "X; X".
 */
export function descriptionOnce(report: Pick<OAuthErrorReport, "error_description" | "descriptions">): string | undefined {
  const items = report.descriptions?.length ? report.descriptions : report.error_description?.split("; ");
  if (!items) return report.error_description;
  return [...new Set(items.map((i) => i.trim()).filter((i) => i !== ""))].join("; ") || undefined;
}

/** The server answered with an OAuth error (exit 1). */
export class OAuthServerError extends CliError {
  readonly report: OAuthErrorReport;
  diagnosis: DiagnosisContext | undefined;

  constructor(report: OAuthErrorReport, options?: CliErrorOptions & { diagnosis?: DiagnosisContext }) {
    const description = descriptionOnce(report);
    super(ExitCode.oauth, `the server answered ${report.error}${description ? `: ${description}` : ""}`, options);
    this.name = "OAuthServerError";
    this.report = report;
    this.diagnosis = options?.diagnosis;
  }
}
