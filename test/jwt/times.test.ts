import { describe, expect, it } from "vitest";
import { humanSpan, isoDate, relativeTime } from "../../src/jwt/times.js";

describe("times: NumericDate claims as a person reads them", () => {
  it.each([
    ["exp", 240, "expires in 4 min"],
    ["exp", -7200, "expired 2 h ago"],
    ["iat", -5, "issued 5 s ago"],
    ["iat", 180, "issued 3 min in the future"],
    ["nbf", 600, "not valid for another 10 min"],
    ["nbf", -30, "valid since 30 s ago"],
    ["auth_time", -3 * 86_400, "signed in 3 days ago"],
  ])("%s %i s from now: %s", (claim, delta, text) => {
    expect(relativeTime(claim, 1_800_000_000 + delta, 1_800_000_000)).toBe(text);
  });

  it("spans and dates", () => {
    expect(humanSpan(119)).toBe("119 s");
    expect(humanSpan(5400)).toBe("90 min");
    expect(humanSpan(9000)).toBe("2.5 h");
    expect(isoDate(1_800_000_000)).toBe("2027-01-15T08:00:00Z");
    expect(isoDate(Number.MAX_VALUE)).toMatch(/^\(not a date/);
  });
});
