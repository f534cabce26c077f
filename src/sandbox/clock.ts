import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Simulates a server whose clock is wrong. oidc-provider reads time only through Date.now()
 * (its epochTime helper), so Date.now is wrapped once per process to add the skew of the
 * sandbox whose request is being handled. Code outside a skewed sandbox request sees real time.
 */
const skewMs = new AsyncLocalStorage<number>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  const realNow = Date.now.bind(Date);
  Date.now = () => realNow() + (skewMs.getStore() ?? 0);
}

/** Runs fn (and everything it starts) with the clock off by `seconds`. */
export function runWithSkew<T>(seconds: number, fn: () => T): T {
  if (!seconds) return fn();
  install();
  return skewMs.run(seconds * 1000, fn);
}
