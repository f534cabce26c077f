import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { binaryString } from "./arbitraries.js";

describe("binaryString: fast-check's binary strings without its lookup table", () => {
  it("gives only whole code points, never a lone surrogate, from the whole range", () => {
    const units = fc.sample(binaryString({ maxLength: 50 }), { seed: 7, numRuns: 400 }).flatMap((s) => [...s]);
    expect(units.every((u) => !/[\ud800-\udfff]/.test(u) || u.length === 2)).toBe(true);
    const points = units.map((u) => u.codePointAt(0)!);
    expect(points.some((c) => c < 0x80)).toBe(true);
    expect(points.some((c) => c >= 0xe000 && c <= 0xffff)).toBe(true);
    expect(points.some((c) => c > 0xffff)).toBe(true);
  });

  it("respects maxLength (in code points) and shrinks a failing string", () => {
    expect(fc.sample(binaryString({ maxLength: 3 }), { seed: 1, numRuns: 200 }).every((s) => [...s].length <= 3)).toBe(true);
    // Any code point past the BMP fails: the smallest counterexample is the first of them alone.
    const failure = fc.check(fc.property(binaryString(), (s) => [...s].every((u) => u.codePointAt(0)! <= 0xffff)), { seed: 3 });
    expect(failure.failed ? failure.counterexample?.[0] : "no counterexample").toBe("\u{10000}");
  });
});
