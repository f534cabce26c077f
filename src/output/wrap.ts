import type { OutputStream } from "../context.js";

/** Colour codes take no room on the screen. */
const ANSI = /\x1b\[[0-9;]*m/g;
const visible = (text: string): number => [...text.replace(ANSI, "")].length;

/**
 * How far a line's continuation lines are indented: its own indent, plus a list marker or label
 * it starts with ("1. ", "- ", "hint: "), so wrapped text lines up under the text, not the marker.
 */
function hangingIndent(line: string): number {
  const plain = line.replace(ANSI, "");
  const match = /^(\s*)((?:[-*•]|\d{1,2}[.)]|[a-z][a-z ]{0,14}:)\s+)?/.exec(plain)!;
  return visible(match[0]);
}

/**
 * Wraps each line longer than `columns` at spaces, continuation lines indented (a hanging indent).
 * A word longer than the room (a URL, a token) is never broken: it goes on a line of its own, so
 * it can still be copied whole. Lines that fit are left exactly as they are.
 */
export function wrapText(text: string, columns: number): string {
  return text
    .split("\n")
    .map((line) => {
      if (visible(line) <= columns) return line;
      const indent = hangingIndent(line);
      // A hanging indent that leaves almost no room is worse than none.
      const pad = " ".repeat(indent > columns / 2 ? 0 : indent);
      const lead = /^\s*/.exec(line)![0];
      const words = line.slice(lead.length).split(/ +/);
      const out: string[] = [];
      let current = lead;
      let atStart = true;
      for (const word of words) {
        if (!atStart && visible(current) + 1 + visible(word) > columns) {
          out.push(current);
          current = pad + word;
          continue;
        }
        current = atStart ? current + word : `${current} ${word}`;
        atStart = false;
      }
      out.push(current);
      return out.join("\n");
    })
    .join("\n");
}

/**
 * For pretty text written to `stream`: wrapped to the terminal's width on a terminal; as it is
 * when not a terminal (a pipe or a file gets whole lines, for grep and for the reader's own wrapping).
 */
export function wrapFor(stream: OutputStream): (text: string) => string {
  const columns = stream.columns;
  if (!stream.isTTY || columns === undefined || columns < 20) return (text) => text;
  return (text) => wrapText(text, columns);
}
