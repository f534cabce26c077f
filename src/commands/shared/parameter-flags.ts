import { ProtocolError, UsageError } from "../../errors/cli-error.js";
import { DiscoveryRedirectError, MetadataNotFoundError } from "../../oauth/discovery.js";
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

/** What to do instead of `--param NAME=…` for a parameter the command sets itself. */
const INSTEAD_OF_PARAMETER: Readonly<Record<string, string>> = {
  grant_type: "(grant_type is decided by the subcommand: exchange, refresh or client-credentials)",
  response_type: "(response_type is always code here)",
  client_id: "; use --client-id (or OAUTH_CLIENT_ID)",
  client_secret: "; give the secret with OAUTH_CLIENT_SECRET, --client-secret-file PATH or --client-secret -",
  refresh_token: "; use --refresh-token (or OAUTH_REFRESH_TOKEN)",
};

/**
 * `--param NAME=…` where the request sets NAME itself: sending it twice is refused by servers
 * ("must not be provided twice", RFC 6749 §3.2), so it is refused here, naming the flag that sets it.
 */
export function reservedParameterError(parameter: string, given = "--param"): UsageError {
  const flag = FLAG_OF_PARAMETER[parameter];
  const instead = (given === "--token-param" ? INSTEAD_OF_TOKEN_PARAMETER[parameter] : undefined) ?? INSTEAD_OF_PARAMETER[parameter] ?? (flag ? `; use ${flag}` : "");
  return new UsageError(`${given} ${parameter}: set by the command itself${instead.startsWith("(") ? ` ${instead}` : instead}`);
}

/** authorize's code exchange: what sets these there. */
const INSTEAD_OF_TOKEN_PARAMETER: Readonly<Record<string, string>> = {
  scope: "; use --exchange-scope to repeat --scope in the code exchange",
  code: " (the code comes from the redirect)",
  redirect_uri: " (the code exchange repeats the authorization request's, RFC 6749 §4.1.3)",
  code_verifier: " (the code exchange sends the verifier of this run's PKCE challenge)",
};

/** What sets each header a token request sets itself (see tokenRequestHeaders). */
const INSTEAD_OF_HEADER: Readonly<Record<string, string>> = {
  "content-type": "; use --body-format form or --body-format json",
  "content-length": " (from the body)",
  authorization: " (it carries the client secret with --auth-method client_secret_basic); drop the header, or choose another --auth-method (client_secret_post, none)",
};

/** `--header NAME: …` where the token request sets NAME itself. */
export function reservedHeaderError(header: string): UsageError {
  return new UsageError(`--header ${header}: set by the command itself${INSTEAD_OF_HEADER[header.toLowerCase()] ?? ""}`);
}

/**
 * oauth/ speaks in protocol parameters; the user typed flags. An error from oauth/ that names a
 * parameter is said again with the flag that sets it; any other error passes through unchanged.
 */
export function nameFlags(error: unknown): unknown {
  if (error instanceof ReservedParameterError) return reservedParameterError(error.parameter);
  if (error instanceof ParameterError) {
    const flag = FLAG_OF_PARAMETER[error.parameter];
    return flag ? new UsageError(`${flag}: ${error.problem}`, { hint: error.hint }) : error;
  }
  if (error instanceof DiscoveryRedirectError) {
    return new ProtocolError(error.message, {
      details: error.details,
      exchange: error.exchange,
      hint: error.issuer
        ? `If you trust that server, give --issuer ${error.issuer}`
        : "If you trust that server, give its issuer with --issuer URL, or the endpoints with --token-endpoint URL (and --authorization-endpoint URL)",
    });
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
