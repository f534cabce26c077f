import { UsageError } from "../errors/cli-error.js";

/**
 * A value the protocol cannot take, named by its protocol parameter (`issuer`, `redirect_uri`,
 * `code_verifier`, …). oauth/ knows no flags: the command that passed the value names the flag
 * (commands/shared/parameter-flags.ts). Unmapped, it is still a usage error naming the parameter.
 */
export class ParameterError extends UsageError {
  readonly parameter: string;
  /** What is wrong, without the name: `"x" is not a URL`. */
  readonly problem: string;

  constructor(parameter: string, problem: string, options: { hint?: string } = {}) {
    super(`${parameter}: ${problem}`, options);
    this.name = "ParameterError";
    this.parameter = parameter;
    this.problem = problem;
  }
}

/** An extra parameter that would overwrite, or repeat, one the request sets itself. */
export class ReservedParameterError extends ParameterError {
  constructor(parameter: string, request = "the authorization request") {
    super(parameter, `${parameter} is set by ${request} itself`);
    this.name = "ReservedParameterError";
  }
}
