/**
 * A clock for a sandbox (SandboxOptions.now, or the sandbox command's Context.now) that a test
 * moves forward instead of sleeping: oidc-provider's expiry checks read the sandbox's clock, so a
 * 1 s code is expired after advance(2) as after two real seconds.
 */
export interface MovableClock {
  now(): number;
  advance(seconds: number): void;
}

export function movableClock(): MovableClock {
  let shiftMs = 0;
  return {
    now: () => Date.now() + shiftMs,
    advance: (seconds) => void (shiftMs += seconds * 1000),
  };
}
