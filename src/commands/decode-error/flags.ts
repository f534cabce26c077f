import { type CommandHelp, exitCodes, SUCCESS, USAGE } from "../shared/help.js";
import type { FlagTable, OptionsOf } from "../shared/flag-table.js";

export const DECODE_ERROR_FLAGS = {
  json: { description: "print the explanation as one JSON object" },
} as const satisfies FlagTable;

export type DecodeErrorOptions = OptionsOf<typeof DECODE_ERROR_FLAGS>;

export const DECODE_ERROR_HELP: CommandHelp = {
  purpose: "explain an OAuth error: what it means, the likely causes ranked, and what to try",
  about: `Accepts, without being told which: a bare code, a JSON error body (any common envelope), a form body or
redirect URL with error=, a WWW-Authenticate header, \`curl -i\` output, or a provider's message (AADSTS…).`,
  examples: [
    "oauth-cli decode-error invalid_grant",
    `oauth-cli decode-error '{"error":"invalid_grant","error_description":"Invalid refresh_token"}'`,
    "oauth-cli decode-error 'http://127.0.0.1:8080/callback?error=access_denied&state=xyz'",
    "curl -si -d grant_type=client_credentials https://id.example.com/token | oauth-cli decode-error",
  ],
  exitCodes: exitCodes(SUCCESS("the error was explained"), USAGE("no input, or nothing in it reads as an OAuth error, or bad flags")),
};
