/**
 * Text from a server (or pasted by the user) on its way to a terminal. A raw ESC, OSC, CSI or other
 * control character can retitle the window, clear the screen, hide text or forge a line, so every
 * one of them is shown as a visible escape instead: ESC becomes `\u001b`, as JSON.stringify writes it.
 */

// C0 (tab and newline aside), DEL, C1, and the Unicode format characters that reorder or hide text
// (bidi overrides and isolates, zero-width joiners, BOM): Trojan Source, CVE-2021-42574.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g;
const CONTROL_OR_BREAK = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g;

function escape(char: string): string {
  if (char === "\n") return "\\n";
  if (char === "\r") return "\\r";
  if (char === "\t") return "\\t";
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/**
 * One line of untrusted text, every control character visible (a harmless tab aside): line breaks
 * too, so a server cannot forge a line of ours (`hint: run …`).
 */
export function visible(text: string): string {
  return text.replace(CONTROL_OR_BREAK, escape);
}

/** Untrusted text that may span lines (a body): line breaks and tabs kept, every other control visible. */
export function visibleLines(text: string): string {
  return text.replace(CONTROL, escape);
}

// The SGR sequences our own styles write (chalk at level 1: bold, dim, red, green, yellow, cyan
// and their resets; the device QR code's bright white on black and its reset); only these survive
// the sink, and only when colour is on. Colours only: none moves the cursor or hides text.
const OWN_SGR = /\u001b\[(?:0|1|2|22|31|32|33|36|39|97;40)m/y;

/**
 * A whole chunk on its way to a terminal: like {@link visibleLines}, but when `colour`, our own
 * SGR colour sequences pass. Everything else that could drive the terminal is shown, not obeyed.
 */
export function terminalSafe(text: string, colour: boolean): string {
  if (!colour) return visibleLines(text);
  let out = "";
  let last = 0;
  CONTROL.lastIndex = 0;
  for (let match = CONTROL.exec(text); match; match = CONTROL.exec(text)) {
    const at = match.index;
    if (match[0] === "\u001b") {
      OWN_SGR.lastIndex = at;
      const sgr = OWN_SGR.exec(text);
      if (sgr) {
        out += text.slice(last, at + sgr[0].length);
        last = CONTROL.lastIndex = at + sgr[0].length;
        continue;
      }
    }
    out += text.slice(last, at) + escape(match[0]);
    last = at + 1;
  }
  return out + text.slice(last);
}

// What JSON.stringify leaves raw although a terminal may obey it: DEL, C1, and the format characters.
const JSON_RAW = /[\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g;

/** JSON text with every control character escaped; the same value to any JSON parser. */
export function jsonSafe(json: string): string {
  return json.replace(JSON_RAW, escape);
}
