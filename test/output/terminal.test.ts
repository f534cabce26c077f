import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonSafe, terminalSafe, visible, visibleLines } from "../../src/output/terminal.js";
import { binaryString } from "../support/arbitraries.js";

const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/;

describe("visible", () => {
  it("shows ESC, OSC, BEL, CR, C1 and bidi controls as escapes, as JSON.stringify writes them", () => {
    expect(visible("a\u001b]0;title\u0007b")).toBe("a\\u001b]0;title\\u0007b");
    expect(visible("x\u009b2J\u202e")).toBe("x\\u009b2J\\u202e");
    // A tab is harmless: it stays.
    expect(visible("line\r\nhint: forged\tx")).toBe("line\\r\\nhint: forged\tx");
  });

  it("leaves ordinary text, accents and emoji alone", () => {
    expect(visible("invalid_grant — refresh token expired 🙂 é")).toBe("invalid_grant — refresh token expired 🙂 é");
  });

  it("no raw control character survives, for any input (property)", () => {
    fc.assert(fc.property(binaryString(), (s) => !RAW.test(visible(s)) && !visible(s).includes("\n")), { seed: 9, numRuns: 500 });
  });
});

describe("visibleLines", () => {
  it("keeps line breaks and tabs of a body, shows the rest", () => {
    expect(visibleLines("a\n\tb\u001b[2J\r\n")).toBe("a\n\tb\\u001b[2J\\r\n");
  });
});

describe("terminalSafe", () => {
  it("without colour, even our SGR codes are shown", () => {
    expect(terminalSafe("\u001b[31mred\u001b[39m", false)).toBe("\\u001b[31mred\\u001b[39m");
  });

  it("with colour, only our own SGR codes pass: not concealment, not OSC, not clear-screen", () => {
    const text = "\u001b[1m\u001b[31merror:\u001b[39m\u001b[22m \u001b[8mhidden\u001b[2J\u001b]0;t\u0007\u001b[30m";
    expect(terminalSafe(text, true)).toBe("\u001b[1m\u001b[31merror:\u001b[39m\u001b[22m \\u001b[8mhidden\\u001b[2J\\u001b]0;t\\u0007\\u001b[30m");
  });

  it("with colour, the device QR code's light-on-dark and reset pass; a cursor move or erase does not", () => {
    expect(terminalSafe("\u001b[97;40m█▀▄\u001b[0m\n", true)).toBe("\u001b[97;40m█▀▄\u001b[0m\n");
    expect(terminalSafe("\u001b[97;40m█\u001b[0m", false)).toBe("\\u001b[97;40m█\\u001b[0m");
    expect(terminalSafe("\r\u001b[2Kforged\u001b[1A", true)).toBe("\\r\\u001b[2Kforged\\u001b[1A");
  });

  it("output is free of raw controls except our SGR codes (property)", () => {
    fc.assert(
      fc.property(binaryString(), (s) => !RAW.test(terminalSafe(s, true).replace(/\u001b\[(?:0|1|2|22|31|32|33|36|39|97;40)m/g, ""))),
      { seed: 10, numRuns: 500 },
    );
  });
});

describe("jsonSafe", () => {
  it("escapes what JSON.stringify leaves raw (DEL, C1, bidi) and keeps the value", () => {
    const value = { s: "a\u007f\u009b31m\u202eb\u001b" };
    const text = jsonSafe(JSON.stringify(value));
    expect(text).not.toMatch(RAW);
    expect(JSON.parse(text)).toEqual(value);
  });
});
