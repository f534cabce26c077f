/** Reading a JSON object's keys with a cap: lookups that ignore case and separators, and the leftovers. */
import { type Draft, type Obj, REQUEST_ID_NAME } from "./draft.js";
import { MAX_KEYS } from "./scan.js";

/** Object.keys once per object: a 100k-key dictionary costs tens of ms per call. */
const keyCache = new WeakMap<Obj, { readonly keys: readonly string[]; readonly total: number }>();
export function keysOf(o: Obj): { readonly keys: readonly string[]; readonly total: number } {
  let entry = keyCache.get(o);
  if (entry === undefined) {
    const all = Object.keys(o);
    entry = { keys: all.length > MAX_KEYS ? all.slice(0, MAX_KEYS) : all, total: all.length };
    keyCache.set(o, entry);
  }
  return entry;
}

/** Case-, underscore- and dash-insensitive key lookup: `ErrorCode`, `errorCode`, `error_code`. */
export class Keys {
  private readonly map = new Map<string, string>();
  constructor(readonly obj: Obj) {
    for (const k of keysOf(obj).keys) {
      const norm = k.toLowerCase().replace(/[-_\s]/g, "");
      if (!this.map.has(norm) || k === norm) this.map.set(norm, k);
    }
  }
  key(...names: string[]): string | undefined {
    for (const n of names) {
      const k = this.map.get(n);
      if (k !== undefined) return k;
    }
    return undefined;
  }
  get(...names: string[]): unknown {
    const k = this.key(...names);
    return k === undefined ? undefined : this.obj[k];
  }
}

/** Every key not used goes to extra (kept as sent); request-id-ish scalars go to http.requestIds. */
export function collectRest(o: Obj, used: Set<string>, d: Draft, prefix: string): void {
  const { keys, total } = keysOf(o);
  for (const key of keys) {
    if (used.has(key)) continue;
    const v = o[key];
    const s = typeof v === "string" || typeof v === "number" ? String(v) : undefined;
    if (s !== undefined && REQUEST_ID_NAME.test(key)) d.http.requestIds[key] = s;
    else if (!(prefix + key in d.extra)) d.extra[prefix + key] = v;
  }
  if (total > keys.length) d.extra["…"] = `${total - keys.length} more fields not read`;
}
