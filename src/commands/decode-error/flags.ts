import type { FlagTable, OptionsOf } from "../shared/flag-table.js";

export const DECODE_ERROR_FLAGS = {
  json: { description: "print the explanation as one JSON object" },
} as const satisfies FlagTable;

export type DecodeErrorOptions = OptionsOf<typeof DECODE_ERROR_FLAGS>;

export const DECODE_ERROR_HELP = [
  "\nAccepts, without being told which: a bare code, a JSON error body (any common envelope), a form body or",
  "redirect URL with error=, a WWW-Authenticate header, `curl -i` output, a provider's message (AADSTS…), the",
  "error a client library printed (Go, Rust, Python, MSAL, Spring, openid-client), or a provider's error page.",
  "The causes are ranked from what the paste carries: its description, refining fields and any request shown.",
  "\nExit status: 0 when the error was identified (a code or wording it knows); 2 when it was not: nothing",
  "OAuth-like was found (an HTML page, a bare HTTP status), or the code is unknown (the nearest known code is",
  "suggested). Whatever advice there is still goes to stdout.",
  "\nExamples:",
  "  oauth-cli decode-error invalid_grant",
  "  oauth-cli decode-error '{\"error\":\"invalid_grant\",\"error_description\":\"Invalid refresh_token\"}'",
  "  oauth-cli decode-error 'http://127.0.0.1:8080/callback?error=access_denied&state=xyz'",
  "  oauth-cli decode-error 'oauth2: \"invalid_grant\" \"Token has been expired or revoked.\"'",
  "  curl -si -d grant_type=client_credentials https://id.example.com/token | oauth-cli decode-error",
  "",
].join("\n");
