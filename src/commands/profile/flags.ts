import { type CommandHelp, exitCodes, SUCCESS, USAGE } from "../shared/help.js";
import type { FlagTable, OptionsOf } from "../shared/flag-table.js";
import { CONFIG_FLAG } from "../shared/flags.js";

export const PROFILE_LIST_FLAGS = {
  ...CONFIG_FLAG,
  json: { description: "all profiles as one JSON object" },
  names: { description: "only the names, one a line, nothing on stderr (what shell completion reads)" },
} as const satisfies FlagTable;

/** `profile set` also takes one flag per profile setting (config/fields.ts), declared from that list. */
export const PROFILE_SET_FLAGS = {
  ...CONFIG_FLAG,
  unset: { value: "<setting>", repeatable: true, description: "remove a setting, repeatable" },
} as const satisfies FlagTable;

/** Accepted by `profile set` only to be refused with a clear message, not commander's "unknown option". */
export const PROFILE_REFUSED_FLAGS = {
  clientSecret: { value: "<value>", hidden: true, description: "refused: secrets are never written to the config file" },
  clientSecretFile: { value: "<path>", hidden: true, description: "refused: secrets are never written to the config file" },
  refreshToken: { value: "<token>", hidden: true, description: "refused: secrets are never written to the config file" },
} as const satisfies FlagTable;

/** The profile settings come by name (see config/fields.ts), hence the index signature. */
export type ProfileOptions = OptionsOf<typeof PROFILE_LIST_FLAGS & typeof PROFILE_SET_FLAGS> & { [setting: string]: unknown };

export const PROFILE_HELP: CommandHelp = {
  purpose: "named settings (issuer, client id, scope, store, …) in the config file; never secrets",
  examples: [
    "oauth-cli profile set ci --issuer https://id.example.com --client-id app --store ~/.cache/oauth-cli/ci.json",
    "oauth-cli refresh --profile ci -o token",
    "oauth-cli profile list",
  ],
  exitCodes: exitCodes(SUCCESS(), USAGE("bad flags, an unknown profile, a secret given to set, or an unreadable config file")),
};
