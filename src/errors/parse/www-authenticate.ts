/**
 * WWW-Authenticate challenges (`Bearer error="invalid_token"`, `DPoP …`, several in one value),
 * read by a hand-written scanner of the RFC 9110 grammar.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-11.6.1
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.1
 */
import { addProviderCodes } from "./codes.js";
import { type Ctx, type Draft, newDraft, setDescription } from "./draft.js";
import { MAX_CHALLENGES, MAX_HEAD, MAX_LINE } from "./scan.js";

interface Challenge {
  readonly scheme: string;
  token68?: string;
  readonly params: [string, string][];
}

const TCHAR = new Uint8Array(128);
const T68CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  const alnum = /[A-Za-z0-9]/.test(ch);
  TCHAR[c] = alnum || "!#$%&'*+-.^_`|~".includes(ch) ? 1 : 0;
  T68CHAR[c] = alnum || "-._~+/".includes(ch) ? 1 : 0;
}

/** A hand-written scanner: linear, no regex backtracking, always makes progress. */
function parseChallenges(s: string): { challenges: Challenge[]; clean: boolean } {
  const n = s.length;
  const challenges: Challenge[] = [];
  let clean = true;
  let i = 0;
  const isT = (at: number): boolean => at < n && s.charCodeAt(at) < 128 && TCHAR[s.charCodeAt(at)] === 1;
  const isT68 = (at: number): boolean => at < n && s.charCodeAt(at) < 128 && T68CHAR[s.charCodeAt(at)] === 1;
  const skipWs = (): void => {
    while (i < n && (s[i] === " " || s[i] === "\t")) i++;
  };
  const skipWsComma = (): void => {
    while (i < n && (s[i] === " " || s[i] === "\t" || s[i] === ",")) i++;
  };
  const readToken = (): string => {
    const start = i;
    while (isT(i)) i++;
    return s.slice(start, i);
  };
  const readQuoted = (): string => {
    i++; // opening quote
    const parts: string[] = [];
    let start = i;
    while (i < n) {
      const c = s[i];
      if (c === "\\") {
        parts.push(s.slice(start, i), s[i + 1] ?? "");
        i += 2;
        start = i;
      } else if (c === '"') {
        parts.push(s.slice(start, i));
        i++;
        return parts.join("");
      } else i++;
    }
    clean = false; // unterminated: keep what there is
    parts.push(s.slice(start, Math.min(i, n)));
    return parts.join("");
  };

  outer: while (i < n && challenges.length < MAX_CHALLENGES) {
    skipWsComma();
    if (i >= n) break;
    const scheme = readToken();
    if (scheme === "") {
      clean = false;
      i++;
      continue;
    }
    const ch: Challenge = { scheme, params: [] };
    challenges.push(ch);
    skipWs();
    // token68: `Negotiate abc==` (the candidate is followed by the end or a comma)
    const start = i;
    while (isT68(i)) i++;
    while (i < n && s[i] === "=") i++;
    if (i > start) {
      const end = i;
      skipWs();
      if (i >= n || s[i] === ",") ch.token68 = s.slice(start, end);
      else i = start;
    }
    if (ch.token68 !== undefined) continue;
    while (i < n) {
      const save = i;
      skipWsComma();
      if (i >= n) break;
      const name = readToken();
      if (name === "") {
        clean = false;
        i++;
        continue;
      }
      skipWs();
      if (s[i] !== "=") {
        i = save; // not a parameter: the next challenge starts here
        continue outer;
      }
      i++;
      skipWs();
      let value: string;
      if (s[i] === '"') value = readQuoted();
      else {
        value = readToken();
        if (value === "" && i < n && s[i] !== ",") {
          clean = false;
          const startBad = i;
          while (i < n && s[i] !== "," && s[i] !== " ") i++;
          value = s.slice(startBad, i);
        }
      }
      ch.params.push([name.toLowerCase(), value]);
    }
  }
  return { challenges, clean };
}

const KNOWN_SCHEMES = new Set(["bearer", "dpop", "basic", "digest", "negotiate", "ntlm", "mutual", "hoba", "gnap", "privatetoken", "vapid", "concealed", "newauth", "aws4-hmac-sha256"]);

/** A WWW-Authenticate value: one draft per challenge; `undefined` when it holds none. */
export function draftsFromChallenges(value: string, ctx: Ctx): Draft[] | undefined {
  const raw = value.length > MAX_LINE * 8 ? value.slice(0, MAX_LINE * 8) : value;
  const { challenges, clean } = parseChallenges(raw);
  if (challenges.length === 0) return undefined;
  if (!clean) ctx.notes.push("the WWW-Authenticate value is not well formed; read what could be read");
  return challenges.map((c) => draftFromChallenge(c, raw, ctx));
}

function draftFromChallenge(c: Challenge, raw: string, ctx: Ctx): Draft {
  const d = newDraft("www-authenticate", "");
  d.extra.scheme = c.scheme;
  if (c.token68 !== undefined) d.extra.token68 = c.token68;
  const seen = new Set<string>();
  for (const [name, value] of c.params) {
    if (seen.has(name)) {
      ctx.notes.push(`"${name}" appears more than once in the ${c.scheme} challenge; read the first`);
      continue;
    }
    seen.add(name);
    if (name === "error") d.error = value;
    else if (name === "error_description") setDescription(d, value);
    else if (name === "error_uri") d.error_uri = value;
    else d.extra[name] = value;
  }
  d.http.wwwAuthenticate = raw;
  addProviderCodes(d, d.error_description ?? "");
  return d;
}

/** `Bearer realm="x", error="invalid_token"` without the header name: only for known schemes or with error=. */
export function parseBareChallenge(t: string, ctx: Ctx): Draft[] | undefined {
  if (t.includes("\n") || t.length > MAX_HEAD) return undefined;
  const { challenges, clean } = parseChallenges(t);
  const first = challenges[0];
  if (first === undefined || !clean) return undefined;
  if (first.params.length === 0 && first.token68 === undefined) return undefined;
  const plausible = challenges.every((c) => KNOWN_SCHEMES.has(c.scheme.toLowerCase()) || c.params.some(([k]) => k === "error"));
  if (!plausible) return undefined;
  return challenges.map((c) => draftFromChallenge(c, t, ctx));
}
