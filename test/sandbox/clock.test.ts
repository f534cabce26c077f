import { describe, expect, it } from "vitest";
import { runOnClock, sandboxClock } from "../../src/sandbox/clock.js";

const HOUR = 3600_000;

describe("sandbox clock", () => {
  it("Date.now reads the sandbox's clock inside a run, through awaits, and real time outside it", async () => {
    let shift = 0;
    const clock = sandboxClock(() => Date.now() + shift)!; // built on Date.now: must not recurse
    const inside = runOnClock(clock, async () => {
      const first = Date.now();
      shift = 2 * HOUR;
      await new Promise((resolve) => setImmediate(resolve));
      return { first, later: Date.now() };
    });
    const outside = Date.now();
    const { first, later } = await inside;
    expect(Math.abs(first - outside)).toBeLessThan(HOUR);
    expect(later - outside).toBeGreaterThan(HOUR);
    expect(Math.abs(Date.now() - outside)).toBeLessThan(HOUR);
  });

  it("clockSkew is added to the clock; no clock and no skew is plain real time", () => {
    expect(sandboxClock(undefined, 0)).toBeUndefined();
    const skewed = sandboxClock(() => 1_000_000, -600)!;
    expect(runOnClock(skewed, () => Date.now())).toBe(1_000_000 - 600_000);
    expect(runOnClock(undefined, () => 42)).toBe(42);
  });
});
