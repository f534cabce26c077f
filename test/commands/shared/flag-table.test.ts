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
import { checkBlankValues, declareFlags, type FlagTable, flagName, secretsOnCommandLine } from "../../../src/commands/shared/flag-table.js";
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
    // Sorted: --help lists a command's own flags before the shared groups, not in table order.
    expect(command.options.map((option) => option.attributeName()).sort()).toEqual(Object.keys(table).sort());
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

  it.each(Object.entries(TABLES))("%s: every secret flag also reads standard input (-), as the warning promises", (_name, table) => {
    for (const [attribute, spec] of Object.entries(table)) {
      if (spec.secret) expect(spec.description, flagName(attribute)).toMatch(/(^|[\s(;])- (reads|for) standard input/);
    }
  });

  it("a new flag gets the warning by declaring secret: once per run, however many tables, values never shown", async () => {
    let err = "";
    const command = declareFlags(new Command("x").exitOverride().configureOutput({ writeErr: (s) => void (err += s) }), {
      subjectToken: { value: "<token>", secret: { env: "OAUTH_SUBJECT_TOKEN" }, description: "- for standard input" },
    });
    declareFlags(command, { privateKey: { value: "<pem>", secret: { file: "--private-key-file" }, description: "- reads standard input" } });
    command.action(() => undefined);
    await command.parseAsync(["--subject-token", "tok-123", "--private-key", "pem-456"], { from: "user" });
    expect(err).toBe(
      "warning: --subject-token, --private-key on the command line are visible to other local users in the process list, and kept in shell history:\n" +
        "  --subject-token: use OAUTH_SUBJECT_TOKEN or --subject-token -\n" +
        "  --private-key: use --private-key-file PATH or --private-key -\n",
    );
  });

  it("secretsOnCommandLine: only literal values typed on the command line count", () => {
    const table: FlagTable = { code: { value: "<code>", secret: {}, description: "" }, scope: { value: "<s>", description: "" } };
    expect(secretsOnCommandLine(table, { code: { values: ["-"], source: "cli" } })).toBeUndefined();
    expect(secretsOnCommandLine(table, { code: { values: ["abc"], source: "config" } })).toBeUndefined();
    expect(secretsOnCommandLine(table, { scope: { values: ["openid"], source: "cli" } })).toBeUndefined();
    expect(secretsOnCommandLine(table, { code: { values: ["abc"], source: "cli" } })).toMatch(/^--code on the command line is visible/);
  });

  it("checkBlankValues: empty and whitespace-only refused for value flags, unless the flag allows empty", () => {
    const table: FlagTable = {
      clientId: { value: "<id>", description: "" },
      scope: { value: "<s>", allowEmpty: true, description: "" },
      param: { value: "<p>", repeatable: true, description: "" },
    };
    expect(() => checkBlankValues(table, { scope: { values: [""], source: "cli" } })).not.toThrow();
    expect(() => checkBlankValues(table, { clientId: { values: ["app"], source: "cli" } })).not.toThrow();
    expect(() => checkBlankValues(table, { clientId: { values: [""], source: "cli" } })).toThrow(/^--client-id: must not be empty$/);
    expect(() => checkBlankValues(table, { clientId: { values: ["\t"], source: "config" } })).toThrow('--client-id (from the profile): must not be blank (got "\\t")');
    expect(() => checkBlankValues(table, { param: { values: ["a=1", " "], source: "cli" } })).toThrow(/^--param: must not be blank/);
  });
});
