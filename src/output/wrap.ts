import type { OutputStream } from "../context.js";

/** Colour codes take no room on the screen. */
const ANSI = /\x1b\[[0-9;]*m/g;
/** Marks drawn on the character before them, the zero-width joiner and variation selectors: no room of their own. */
const ZERO_WIDTH = /[\p{Mn}\p{Me}\u200b-\u200f\ufe00-\ufe0f]/u;
const EMOJI = /\p{Emoji_Presentation}/u;

/**
 * East Asian Wide and Fullwidth characters (CJK, kana, Hangul, fullwidth forms) and emoji take two
 * terminal columns. The ranges are the W and F blocks of Unicode's EastAsianWidth.txt
 * (https://www.unicode.org/reports/tr11/), as is-fullwidth-code-point lists them; kept here rather than
 * a package so the sink, loaded by every run, loads nothing more.
 */
function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    code === 0x2329 ||
    code === 0x232a ||
    (code >= 0x2e80 && code <= 0x3247 && code !== 0x303f) ||
    (code >= 0x3250 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0xa4c6) ||
    (code >= 0xa960 && code <= 0xa97c) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe10 && code <= 0xfe19) ||
    (code >= 0xfe30 && code <= 0xfe6b) ||
    (code >= 0xff01 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1b000 && code <= 0x1b001) ||
    (code >= 0x1f200 && code <= 0x1f251) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

/** How many terminal columns a text takes: colour codes none, wide characters two. */
export function displayWidth(text: string): number {
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  let width = 0;
  for (const char of text.replace(ANSI, "")) {
    if (ZERO_WIDTH.test(char)) continue;
    width += isWide(char.codePointAt(0)!) || EMOJI.test(char) ? 2 : 1;
  }
  return width;
}
const visible = displayWidth;

/** An example command of ours (`oauth-cli …`, `NAME=value oauth-cli …`, `$ oauth-cli …`). */
const COMMAND = /^\s*(?:\$ )?(?:[A-Z][A-Z0-9_]*=\S*\s+)*oauth-cli\s/;

/**
 * How far a line's continuation lines are indented: its own indent, plus a list marker or label
 * it starts with ("1. ", "- ", "hint: "), so wrapped text lines up under the text, not the marker.
 */
function hangingIndent(line: string): number {
  const plain = line.replace(ANSI, "");
  // …or a table's key column ("  email_verified  true"): the value's continuation stays in its column.
  const match = /^(\s*)((?:[-*•]|\d{1,2}[.)]|[a-z][a-z ]{0,14}:|\S{1,40}(?= {2,}\S))\s+)?/.exec(plain)!;
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
      // A command line to copy is kept whole, like a URL: pasted with a line break, a shell would run half of it.
      if (visible(line) <= columns || COMMAND.test(line.replace(ANSI, ""))) return line;
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
