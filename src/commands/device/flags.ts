import { type CommandHelp, exitCodes, TOKEN_EXIT_CODES } from "../shared/help.js";
import type { FlagTable, OptionsOf } from "../shared/flag-table.js";
import { NEEDS_CLIENT_ID, STORE_FLAGS, TOKEN_COMMAND_FLAGS } from "../shared/flags.js";
import type { Requirement } from "../shared/required.js";

export const DEVICE_FLAGS = {
  ...TOKEN_COMMAND_FLAGS,
  ...STORE_FLAGS,
  deviceAuthorizationEndpoint: { value: "<url>", description: "device authorization endpoint URL (with --token-endpoint, skips discovery)" },
  open: { description: "also open the verification URI in this machine's browser" },
  qr: { negate: true, description: "do not draw the QR code on a terminal (it is never drawn when stderr is not a terminal)" },
} as const satisfies FlagTable;

export type DeviceOptions = OptionsOf<typeof DEVICE_FLAGS>;

export const DEVICE_REQUIRED: readonly Requirement<DeviceOptions>[] = [
  {
    flag: "--issuer URL (or --device-authorization-endpoint URL with --token-endpoint URL)",
    met: (opts) => opts.issuer !== undefined || (opts.deviceAuthorizationEndpoint !== undefined && opts.tokenEndpoint !== undefined),
  },
  // RFC 8628 §3.1: the request names the client, public or not.
  NEEDS_CLIENT_ID,
];

export const DEVICE_HELP: CommandHelp = {
  purpose: "sign in on another device with a user code: device authorization grant (RFC 8628), for machines without a browser",
  about: `Prints a user code and where to enter it (on stderr, with a QR code on a terminal), then polls
the token endpoint at the server's interval (5 s unless it says otherwise; 5 s more after every
slow_down) until someone approves, denies, or the code expires. Ctrl-C stops waiting.`,
  examples: [
    'oauth-cli device --issuer https://id.example.com --client-id tv-app --scope "openid offline_access"',
    "oauth-cli device --issuer https://id.example.com --client-id tv-app --store ~/.tokens/tv.json",
    "oauth-cli device --device-authorization-endpoint https://id.example.com/device/code --token-endpoint https://id.example.com/token --client-id tv-app -o token",
  ],
  exitCodes: exitCodes(
    { code: 1, meaning: "the server ended the flow: access_denied (the user said no), expired_token or authorization_expired (nobody approved in time), or any other OAuth error" },
    { code: 130, meaning: "interrupted: Ctrl-C stopped the wait" },
    ...TOKEN_EXIT_CODES,
  ),
};
