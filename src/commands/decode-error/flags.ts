import { type CommandHelp, exitCodes, SUCCESS, USAGE } from "../shared/help.js";
import type { FlagTable, OptionsOf } from "../shared/flag-table.js";

export const DECODE_ERROR_FLAGS = {
  json: { description: "print the explanation as one JSON object" },
} as const satisfies FlagTable;

export type DecodeErrorOptions = OptionsOf<typeof DECODE_ERROR_FLAGS>;

export const DECODE_ERROR_HELP: CommandHelp = {
  purpose: "explain an OAuth error: what it means, the likely causes ranked, and what to try",
  about: `Accepts, without being told which: a bare code, a JSON error body (any common envelope), a form body or
redirect URL with error=, a WWW-Authenticate header, \`curl -i\` output, a provider's message (AADSTS…), the
error a client library printed (Go, Rust, Python, MSAL, Spring, openid-client), or a provider's error page.
The causes are ranked from what the paste carries: its description, refining fields and any request shown.`,
  examples: [
    "oauth-cli decode-error invalid_grant",
    `oauth-cli decode-error '{"error":"invalid_grant","error_description":"Invalid refresh_token"}'`,
    "oauth-cli decode-error 'http://127.0.0.1:8080/callback?error=access_denied&state=xyz'",
    `oauth-cli decode-error 'oauth2: "invalid_grant" "Token has been expired or revoked."'`,
    "curl -si -d grant_type=client_credentials https://id.example.com/token | oauth-cli decode-error",
  ],
  exitCodes: exitCodes(
    SUCCESS("the error was identified (a code or wording it knows) and explained"),
    USAGE("not identified: no input, nothing OAuth-like (an HTML page, a bare HTTP status), or an unknown code (the nearest known one is suggested); whatever advice there is still goes to stdout; or bad flags"),
  ),
};
