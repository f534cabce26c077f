/**
 * JSON error bodies: the whole paste, a JSON value already parsed (the token client's
 * {@link readErrorJson}), or the first balanced `{…}` inside a log line. An error wrapped in
 * other objects (`{"response":{"data":{"error":…}}}`, a body kept as a string) is looked for
 * breadth-first within caps.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
import { type Ctx, type Draft, type Obj, finishDraft, isObj } from "./draft.js";
import { draftFromObject } from "./json-shapes.js";
import { keysOf } from "./keys.js";
import { MAX_EMBED_SCAN, MAX_EMBED_TRIES, MAX_WALK_DEPTH, MAX_WALK_NODES, matchBrace, parseJsonLenient } from "./scan.js";
import type { OAuthErrorReport } from "../types.js";

/** An error in a parsed JSON value: its own fields, the first object of an array, or one wrapped deeper. */
export function draftFromJson(value: unknown, ctx: Ctx): Draft | undefined {
  let v = value;
  if (Array.isArray(v)) {
    const firstObj = v.slice(0, 100).find(isObj);
    if (firstObj === undefined) {
      ctx.reason ??= "the JSON array holds no object";
      return undefined;
    }
    if (v.length > 1) ctx.notes.push(`the JSON array has ${v.length} items; read the first object`);
    v = firstObj;
  }
  if (!isObj(v)) {
    ctx.reason ??= "the JSON value is not an object";
    return undefined;
  }
  const direct = draftFromObject(v, ctx);
  if (direct !== undefined) return direct;

  // Wrapped errors (`{"response":{"data":{"error":…}}}`, a body kept as a string): breadth-first, bounded.
  const queue: { obj: Obj; path: string; depth: number }[] = [{ obj: v, path: "", depth: 0 }];
  let visited = 0;
  while (queue.length > 0 && visited < MAX_WALK_NODES) {
    const { obj, path, depth } = queue.shift()!;
    visited++;
    if (depth >= MAX_WALK_DEPTH) continue;
    for (const key of keysOf(obj).keys.slice(0, 100)) {
      let child = obj[key];
      if (typeof child === "string" && child.length < MAX_EMBED_SCAN && child.trimStart().startsWith("{")) {
        child = parseJsonLenient(child.trim())?.value;
      }
      if (Array.isArray(child)) child = child.slice(0, 20).find(isObj);
      if (!isObj(child)) continue;
      const childPath = path === "" ? key : `${path}.${key}`;
      const found = draftFromObject(child, ctx);
      if (found !== undefined) {
        ctx.notes.push(`read the error found under "${childPath}"`);
        return found;
      }
      queue.push({ obj: child, path: childPath, depth: depth + 1 });
    }
  }
  if ("access_token" in v || "id_token" in v) {
    ctx.reason = "this is a successful token response (it carries a token), not an error";
  } else {
    ctx.reason ??= `the JSON object has no error fields (keys: ${keysOf(v).keys.slice(0, 10).join(", ")})`;
  }
  return undefined;
}

/** The first balanced `{…}` (of up to MAX_EMBED_TRIES) inside other text that holds an error. */
export function parseEmbeddedJson(t: string, ctx: Ctx): Draft[] | undefined {
  let from = 0;
  for (let tries = 0; tries < MAX_EMBED_TRIES; tries++) {
    const open = t.indexOf("{", from);
    if (open < 0) return undefined;
    const close = matchBrace(t, open, Math.min(t.length, open + MAX_EMBED_SCAN));
    if (open === 0 && close === t.length - 1) return undefined; // the whole input: already read as JSON
    if (close < 0) {
      from = open + 1;
      continue;
    }
    const parsed = parseJsonLenient(t.slice(open, close + 1));
    if (parsed === undefined) {
      from = open + 1;
      continue;
    }
    const before = ctx.reason;
    const d = draftFromJson(parsed.value, ctx);
    if (d !== undefined) {
      if (open > 0) ctx.notes.push(`read the JSON object that starts at character ${open + 1}`);
      return [d];
    }
    if (before === undefined && !(ctx.reason ?? "").includes("successful")) ctx.reason = before;
    from = close + 1;
  }
  return undefined;
}

/**
 * Reads an error out of a parsed JSON body, whatever shape the provider used (the rules
 * parseErrorInput applies to JSON). The token client uses it, so `oauth-cli exchange` and
 * `oauth-cli decode-error` read a provider's error the same way. Never throws; `undefined` when the
 * value holds no error.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function readErrorJson(value: unknown): OAuthErrorReport | undefined {
  try {
    const d = draftFromJson(value, { notes: [] });
    return d === undefined ? undefined : finishDraft(d);
  } catch {
    return undefined;
  }
}
