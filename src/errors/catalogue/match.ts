/**
 * Builds a case-insensitive RegExp from a literal phrase, tolerant of "+" or several spaces where the
 * phrase has a space (form-encoded descriptions, seed 003) and of trailing punctuation.
 * `…` in the phrase stands for any text (a placeholder such as a parameter name).
 */
export function phrase(text: string, options: { whole?: boolean } = {}): RegExp {
  const body = text
    .replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")
    .replace(/…/g, ".+?")
    .replace(/ +/g, "(?:\\s|\\+|%20)+");
  const trail = "[\\s.!;:,]*";
  return new RegExp(options.whole ? `^\\s*${body}${trail}$` : `${body}`, "i");
}

/** Undoes form encoding of a description ("+" and %XX) when it is safe; otherwise returns the text as is. */
export function normaliseDescription(text: string): string {
  let out = text.replace(/\+/g, " ");
  if (/%[0-9a-f]{2}/i.test(out)) {
    try {
      out = decodeURIComponent(out);
    } catch {
      // leave it: not valid percent-encoding
    }
  }
  return out.replace(/\s+/g, " ").trim();
}
