/**
 * The one place that changes V8's flags at run time, and the one that puts them back.
 *
 * undici parses HTTP/1 with llhttp compiled to WebAssembly, and V8 optimises a hot WebAssembly
 * module with TurboFan in the background. A short run pays for that and never gains: on Node 20
 * the process waits for the compile before it can exit (~170 ms idle after the output); on Node
 * 24 a second request (discovery, then the token) makes llhttp hot and the compiles cost ~45 ms
 * of CPU (measured: 101 → 58 ms for `client-credentials --issuer`). The baseline compiler
 * (Liftoff) is plenty for a few small responses. --liftoff-only alone was enough on Node 20,
 * where it implies no tier-up; on Node 24 it no longer does, hence the three flags.
 *
 * Set it after undici's modules have loaded, just before the first request instantiates llhttp:
 * once a flag changes, Node 20 can no longer use its built-in modules' code cache and compiles
 * node:http, node:net and the rest from source (~6 ms more).
 *
 * V8 accepts a code cache only under the flags it was made with (it keeps a hash of them), and
 * bin/ makes its cache after the run: restoreV8Flags() puts back every flag the set changed, so
 * the cache made now matches the next run's start.
 * @see https://v8.dev/docs/wasm-compilation-pipeline
 */
const SHORT_RUN = "--liftoff-only --no-wasm-tier-up --no-wasm-dynamic-tiering";
/** The defaults of those flags (V8 flag-definitions.h). */
const DEFAULTS = "--no-liftoff-only --wasm-tier-up --wasm-dynamic-tiering";

/** node:v8's setter, once the flags have been changed; restoreV8Flags() must be synchronous. */
let changedWith: ((flags: string) => void) | undefined;

/** Called before the first request; later calls do nothing. */
export async function setShortRunV8Flags(): Promise<void> {
  if (changedWith) return;
  const { setFlagsFromString } = await import("node:v8");
  if (changedWith) return;
  changedWith = setFlagsFromString;
  setFlagsFromString(SHORT_RUN);
}

/** Puts V8's flags back as they were at start-up, if setShortRunV8Flags changed them. Synchronous: bin/ calls it just before making its code cache. */
export function restoreV8Flags(): void {
  changedWith?.(DEFAULTS);
  changedWith = undefined;
}
