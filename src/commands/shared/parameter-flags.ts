import { ProtocolError, UsageError } from "../../errors/cli-error.js";
import { MetadataNotFoundError } from "../../oauth/discovery.js";
import { ParameterError, ReservedParameterError } from "../../oauth/parameter-error.js";

/** The flag that sets each protocol parameter oauth/ may name in an error. */
const FLAG_OF_PARAMETER: Readonly<Record<string, string>> = {
  issuer: "--issuer",
  client_id: "--client-id",
  redirect_uri: "--redirect-uri",
  state: "--state",
  code: "--code",
  code_verifier: "--code-verifier",
  code_challenge: "--pkce",
  code_challenge_method: "--pkce",
  scope: "--scope",
  prompt: "--prompt",
  login_hint: "--login-hint",
  response_mode: "--response-mode",
  refresh_token: "--refresh-token",
};

/**
 * oauth/ speaks in protocol parameters; the user typed flags. An error from oauth/ that names a
 * parameter is said again with the flag that sets it; any other error passes through unchanged.
 */
export function nameFlags(error: unknown): unknown {
  if (error instanceof ReservedParameterError) {
    const flag = FLAG_OF_PARAMETER[error.parameter];
    const instead = error.parameter === "response_type" ? "it is always code here" : `use ${flag}`;
    return new UsageError(`--param ${error.parameter}=…: ${error.parameter} is set by oauth-cli authorize; ${instead}`);
  }
  if (error instanceof ParameterError) {
    const flag = FLAG_OF_PARAMETER[error.parameter];
    return flag ? new UsageError(`${flag}: ${error.problem}`, { hint: error.hint }) : error;
  }
  if (error instanceof MetadataNotFoundError) {
    return new ProtocolError(error.message, {
      details: error.details,
      exchange: error.exchange,
      hint: "Check the --issuer URL, or give the endpoints directly with --token-endpoint (and --authorization-endpoint).",
    });
  }
  return error;
}

/** Runs a step of oauth/, with its errors naming flags (see {@link nameFlags}). */
export async function withFlagNames<T>(step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw nameFlags(error);
  }
}
