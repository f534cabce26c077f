import { checkbox, input, password } from "@inquirer/prompts";
import type { Prompter } from "./context.js";

/** Questions on stderr, so stdout stays clean for results. */
export function createPrompter(signal: AbortSignal): Prompter {
  const context = { output: process.stderr, signal };
  return {
    input: (q) => input({ message: q.message, default: q.default, validate: q.validate }, context),
    password: (q) => password({ message: q.message, mask: true }, context),
    checkbox: (q) => checkbox({ message: q.message, choices: q.choices.map((c) => ({ value: c.value, name: c.value, checked: c.checked })) }, context),
  };
}
