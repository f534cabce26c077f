import fc from "fast-check";

/** Code points from 0 to U+10FFFF without the surrogates (U+D800–U+DFFF), as fast-check's "binary" unit. */
const SURROGATES = 0x800;
const codePoint = fc.nat({ max: 0x10ffff - SURROGATES }).map(
  (n) => String.fromCodePoint(n < 0xd800 ? n : n + SURROGATES),
  (unit) => {
    const c = typeof unit === "string" ? unit.codePointAt(0) : undefined;
    if (c === undefined || unit !== String.fromCodePoint(c) || (c >= 0xd800 && c < 0xe000)) throw new Error("not one code point");
    return c < 0xd800 ? c : c - SURROGATES;
  },
);

/**
 * The strings of `fc.string({ unit: "binary" })` (any code point but a lone surrogate). fast-check
 * builds that unit as a 1.1-million-entry lookup table, ~0.6 s of CPU in each worker that asks for
 * it; this unit computes the same code points and needs no table.
 */
export function binaryString(constraints: { maxLength?: number } = {}): fc.Arbitrary<string> {
  return fc.string({ unit: codePoint, ...constraints });
}
