/**
 * The work caps every recogniser shares, and the bounded character scanners behind the JSON
 * recognisers: each is one linear, iterative pass, so deep nesting or a 1 MiB paste costs no more
 * than reading it once.
 */

/** Work caps: they keep the parser linear and bounded on any input. */
export const MAX_INPUT = 4 * 1024 * 1024; // characters read at all
export const MAX_HEAD = 64 * 1024; // where we look for a status line or a header line
export const MAX_HTTP_LINES = 500; // lines before the status line, and header lines
export const MAX_LINE = 8 * 1024; // a line is cut here before any regex sees it
export const MAX_EMBED_SCAN = 512 * 1024; // longest `{…}` looked for inside a log
export const MAX_EMBED_TRIES = 8;
const MAX_JSON_DEPTH = 1000;
export const MAX_KEYS = 1000; // object keys / form pairs read
export const MAX_WALK_NODES = 200; // objects visited looking for a nested error
export const MAX_WALK_DEPTH = 4;
export const MAX_TEXT_HEAD = 16 * 1024; // provider messages are looked for here
export const MAX_CHALLENGES = 50;

interface Parsed {
  readonly value: unknown;
}

/** JSON.parse, then a repaired copy (trailing commas, single quotes, Python literals). Never throws. */
export function parseJsonLenient(input: string): Parsed | undefined {
  let s = input;
  while (s.length > 0 && (s.endsWith(",") || s.endsWith(";"))) s = s.slice(0, -1).trimEnd();
  if (!nestingWithin(s, MAX_JSON_DEPTH)) return undefined; // V8 takes ~0.2 s to reject 1M "["
  try {
    return { value: JSON.parse(s) };
  } catch {
    // fall through to the repaired copy
  }
  try {
    const repaired = repairJson(s);
    return repaired === s ? undefined : { value: JSON.parse(repaired) };
  } catch {
    return undefined;
  }
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** False as soon as brackets nest deeper than `max` (outside strings). No error body nests that deep. */
function nestingWithin(s: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return false;
    } else if (c === 125 || c === 93) depth--;
  }
  return true;
}

/** One linear pass; iterative, so deep nesting costs nothing extra. */
function repairJson(s: string): string {
  const out: string[] = [];
  let last = 0; // start of the run not yet copied
  let quote = ""; // "" outside strings, else '"' or "'"
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s[i]!;
    if (quote === '"') {
      if (c === "\\") i++;
      else if (c === '"') quote = "";
    } else if (quote === "'") {
      if (c === "\\") {
        out.push(s.slice(last, i), s[i + 1] === "'" ? "'" : s.slice(i, i + 2));
        i++;
        last = i + 1;
      } else if (c === "'" || c === '"') {
        out.push(s.slice(last, i), c === "'" ? '"' : '\\"');
        last = i + 1;
        if (c === "'") quote = "";
      }
    } else if (c === '"') {
      quote = '"';
    } else if (c === "'") {
      out.push(s.slice(last, i), '"');
      last = i + 1;
      quote = "'";
    } else if (c === ",") {
      let j = i + 1;
      while (j < n && (s[j] === " " || s[j] === "\n" || s[j] === "\r" || s[j] === "\t")) j++;
      if (s[j] === "}" || s[j] === "]") {
        out.push(s.slice(last, i));
        last = i + 1;
      }
    } else if (c === "T" || c === "F" || c === "N") {
      const word = c === "T" ? "True" : c === "F" ? "False" : "None";
      if (s.startsWith(word, i) && !isWordChar(s.charCodeAt(i + word.length)) && !isWordChar(s.charCodeAt(i - 1))) {
        out.push(s.slice(last, i), c === "T" ? "true" : c === "F" ? "false" : "null");
        i += word.length - 1;
        last = i + 1;
      }
    }
  }
  out.push(s.slice(last));
  return out.join("");
}

/** Index of the `}` closing the `{` at `open`, or -1. Iterative; aware of "strings". */
export function matchBrace(t: string, open: number, limit: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < limit; i++) {
    const c = t.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return i;
  }
  return -1;
}
