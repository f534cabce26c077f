import { AsyncLocalStorage } from "node:async_hooks";

/** ms since epoch. */
export type SandboxClock = () => number;

/**
 * A sandbox's own time. oidc-provider reads time only through Date.now() (its epochTime helper),
 * and so does the sandbox's store, so Date.now is wrapped once per process: while a sandbox
 * handles a request, it answers that sandbox's clock. Code outside a sandbox request sees real time.
 */
const requestClock = new AsyncLocalStorage<SandboxClock>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  const realNow = Date.now.bind(Date);
  // The clock itself runs outside the store, so a clock built on Date.now reads real time.
  Date.now = () => {
    const clock = requestClock.getStore();
    return clock ? requestClock.exit(clock) : realNow();
  };
}

/**
 * The clock a sandbox runs on: `now` (real time unless given; tests pass one they can move
 * forward instead of sleeping) off by `skewSeconds`. Undefined when that is plain real time.
 */
export function sandboxClock(now: SandboxClock | undefined, skewSeconds = 0): SandboxClock | undefined {
  if (!now && !skewSeconds) return undefined;
  const base = now ?? (() => Date.now());
  return () => base() + skewSeconds * 1000;
}

/** Runs fn (and everything it starts) on `clock`; on real time without one. */
export function runOnClock<T>(clock: SandboxClock | undefined, fn: () => T): T {
  if (!clock) return fn();
  install();
  return requestClock.run(clock, fn);
}
