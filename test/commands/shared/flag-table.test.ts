import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { AUTHORIZE_FLAGS } from "../../../src/commands/authorize/flags.js";
import { CLIENT_CREDENTIALS_FLAGS } from "../../../src/commands/client-credentials/flags.js";
import { DECODE_ERROR_FLAGS } from "../../../src/commands/decode-error/flags.js";
import { DEMO_FLAGS } from "../../../src/commands/demo/flags.js";
import { EXCHANGE_FLAGS } from "../../../src/commands/exchange/flags.js";
import { PROFILE_LIST_FLAGS, PROFILE_REFUSED_FLAGS, PROFILE_SET_FLAGS } from "../../../src/commands/profile/flags.js";
import { REFRESH_FLAGS } from "../../../src/commands/refresh/flags.js";
import { SANDBOX_FLAGS } from "../../../src/commands/sandbox/flags.js";
import { declareFlags, type FlagTable, flagName } from "../../../src/commands/shared/flag-table.js";
import { checkRequired } from "../../../src/commands/shared/required.js";
import { EXCHANGE_REQUIRED } from "../../../src/commands/exchange/flags.js";

const TABLES: Record<string, FlagTable> = {
  authorize: AUTHORIZE_FLAGS,
  exchange: EXCHANGE_FLAGS,
  refresh: REFRESH_FLAGS,
  "client-credentials": CLIENT_CREDENTIALS_FLAGS,
  "decode-error": DECODE_ERROR_FLAGS,
  sandbox: SANDBOX_FLAGS,
  demo: DEMO_FLAGS,
  "profile list": PROFILE_LIST_FLAGS,
  "profile set": { ...PROFILE_SET_FLAGS, ...PROFILE_REFUSED_FLAGS },
};

describe("flag tables", () => {
  it.each(Object.entries(TABLES))("%s: commander files each value under the table's key (what the options type is derived from)", (_name, table) => {
    const command = declareFlags(new Command("x"), table);
    expect(command.options.map((option) => option.attributeName())).toEqual(Object.keys(table));
  });

  it("names, aliases, values, negation, choices, defaults and repeats come out as declared", async () => {
    expect(flagName("clientSecretFile")).toBe("--client-secret-file");
    expect(flagName("exchange", { negate: true })).toBe("--no-exchange");
    const command = declareFlags(new Command("x").exitOverride(), AUTHORIZE_FLAGS);
    expect(command.options.find((o) => o.attributeName() === "output")?.flags).toBe("-o, --output <format>");
    command.parse(["--param", "a=1", "--param", "b=2", "--no-exchange", "-o", "json"], { from: "user" });
    expect(command.opts()).toMatchObject({ param: ["a=1", "b=2"], exchange: false, open: true, output: "json", pkce: "S256", wait: "300", timeout: "30" });
    expect(() => declareFlags(new Command("y").exitOverride().configureOutput({ writeErr: () => {} }), AUTHORIZE_FLAGS).parse(["--redirect-host", "example.com"], { from: "user" })).toThrow(/invalid/);
  });

  it("required flags: one message names every missing one", () => {
    expect(() => checkRequired(EXCHANGE_REQUIRED, {}, {})).toThrow(/missing 4 required options/);
    expect(() => checkRequired(EXCHANGE_REQUIRED, { code: "c", redirectUri: "r", clientId: "app" }, {})).toThrow(/^missing --token-endpoint URL or --issuer URL$/);
    expect(() => checkRequired(EXCHANGE_REQUIRED, { code: "c", redirectUri: "r", issuer: "https://id" }, { OAUTH_CLIENT_ID: "app" })).not.toThrow();
  });
});
