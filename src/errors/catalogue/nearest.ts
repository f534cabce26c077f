import { allEntries } from "./index.js";

/** Edits (insert, delete, substitute, swap two neighbours) from a to b: optimal string alignment distance. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * Known codes a mistyped one was probably meant to be ("invalid_grnat" → invalid_grant): the
 * closest, within 2 edits (1 for short codes), best first; none when nothing is that close.
 */
export function nearestCodes(code: string): string[] {
  const typed = code.toLowerCase();
  // No code is this long; a pasted blob is not a typo (and the distance costs length × length).
  if (typed.length > 64) return [];
  const limit = typed.length <= 6 ? 1 : 2;
  const scored = [...new Set(allEntries().map((e) => e.code))]
    .filter((known) => Math.abs(known.length - typed.length) <= limit)
    .map((known) => ({ known, d: distance(typed, known.toLowerCase()) }))
    .filter(({ d }) => d > 0 && d <= limit);
  const best = Math.min(...scored.map(({ d }) => d));
  return scored.filter(({ d }) => d === best).map(({ known }) => known).sort();
}
