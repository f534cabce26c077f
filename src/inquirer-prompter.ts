import { checkbox, input, password } from "@inquirer/prompts";
import type { Prompter } from "./context.js";
import { visible } from "./output/terminal.js";

/** Questions on stderr, so stdout stays clean for results. `streams` is for tests. */
export function createPrompter(signal: AbortSignal, streams: { input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream } = {}): Prompter {
  const context = { input: streams.input, output: streams.output ?? process.stderr, signal };
  return {
    input: (q) => input({ message: q.message, default: q.default, validate: q.validate }, context),
    // No mask: not even the secret's length shows on the screen.
    password: (q) => password({ message: q.message, validate: q.validate }, context),
    // Choices can be the server's words (scopes_supported): shown, never obeyed by the terminal.
    checkbox: (q) => checkbox({ message: q.message, choices: q.choices.map((c) => ({ value: c.value, name: visible(c.value), checked: c.checked })) }, context),
  };
}
