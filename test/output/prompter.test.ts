import { PassThrough, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createPrompter } from "../../src/inquirer-prompter.js";

describe("the interactive scope checklist", () => {
  it("shows a server's scope names with their escapes visible, and returns the value as sent", async () => {
    const input = new PassThrough();
    let shown = "";
    const output = new Writable({
      write(chunk: Buffer, _enc, done) {
        shown += chunk.toString();
        done();
      },
    });
    const prompter = createPrompter(new AbortController().signal, { input, output });
    const hostile = "evil\u001b]0;pwned\u0007\u001b[2J";
    const answer = prompter.checkbox({ message: "Scopes to request", choices: [{ value: "openid", checked: true }, { value: hostile }] });
    setTimeout(() => input.write("\r"), 50);
    expect(await answer).toEqual(["openid"]);
    // The prompt library draws with its own escapes; the server's OSC and clear-screen are not among them.
    expect(shown).toContain("evil\\u001b]0;pwned\\u0007\\u001b[2J");
    expect(shown).not.toContain("\u001b]0;pwned");
    expect(shown).not.toContain("\u001b[2J");
  });
});
