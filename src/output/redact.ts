/** Parameter and field names whose values are secrets (RFC 6749, 7636, 7523, 8628, 8693, …). */
export const SECRET_FIELDS = new Set([
  "client_secret",
  "code",
  "code_verifier",
  "refresh_token",
  "access_token",
  "id_token",
  "client_assertion",
  "assertion",
  "password",
  "subject_token",
  "actor_token",
  "device_code",
  "token",
  "logout_token",
  "user_code",
  "request",
  "id_token_hint",
]);

export const SECRET_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie", "dpop", "x-api-key"]);

/**
 * Names no RFC lists but providers use for secrets: `api_key`, `sig`, `Private-Token`, `X-Auth-Token`,
 * `session_id`, `*_secret`, `*_password`, … Words are split on `_`, `-` and `.`; a name is a secret
 * when one of its words is one of these, when it ends in `token` (not `token_type`,
 * `token_endpoint`, which are not values of a token), or when it is `auth` or starts with `x-auth`.
 */
const SECRET_WORDS = /(?:^|[_.-])(?:secret|secrets|password|passwd|pwd|pass|passphrase|api[_.-]?key|apikey|key|private[_.-]?key|access[_.-]?key|sig|signature|credential|credentials|sessionid|session[_.-]?id|sid|otp)(?:$|[_.-])|token$|^x[_.-]?auth|^auth$/;

export function mask(value: string): string {
  return `[redacted ${value.length} chars]`;
}

export function isSecretField(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_FIELDS.has(lower) || SECRET_WORDS.test(lower);
}

/** A header whose value is a secret whatever it looks like. */
export function isSecretHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_HEADERS.has(lower) || isSecretField(lower);
}

/** An HTTP authentication scheme followed by its credentials (RFC 9110 §11.4), in any header. */
const CREDENTIALS = /^((?:Basic|Bearer|DPoP|Digest|Token|MAC|HOBA|Mutual|Negotiate|NTLM|OAuth|SSWS|GoogleLogin|AWS4-HMAC-SHA256)\s+)(\S.*)$/is;

/** `%zz` and other bad escapes stay as written: a redaction must never fail on what it redacts. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Redacts secret values inside a form body or query string, keeping its shape. */
export function redactForm(form: string): string {
  return form
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      if (eq < 0) return pair;
      const name = safeDecode(pair.slice(0, eq).replace(/\+/g, " "));
      const value = pair.slice(eq + 1);
      // Already masked by an earlier pass (the sink runs after the trace's own redaction).
      if (value.startsWith("[redacted")) return pair;
      return isSecretField(name) ? `${pair.slice(0, eq)}=${mask(value)}` : pair;
    })
    .join("&");
}

function redactValue(value: unknown, depth = 0): unknown {
  if (depth > 20 || typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, isSecretField(k) && typeof v === "string" ? mask(v) : redactValue(v, depth + 1)]),
  );
}

/** Redacts a body whatever its format: JSON, form, or anything else (left to the literal pass). */
export function redactBody(body: string): string {
  const trimmed = body.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.stringify(redactValue(JSON.parse(trimmed)), null, 2);
    } catch {
      return body;
    }
  }
  if (/^[^\s=&]+=[^\s]*$/.test(trimmed)) return redactForm(trimmed);
  return body;
}

/** `scheme://user:password@host`: the password (or a lone user, often a token) is a secret. */
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@\s]*)@/i;

function redactUserinfo(url: string): string {
  return url.replace(USERINFO, (_all, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(":");
    return colon < 0 ? `${scheme}${mask(userinfo)}@` : `${scheme}${userinfo.slice(0, colon)}:${mask(userinfo.slice(colon + 1))}@`;
  });
}

/** A URL with the credentials in its userinfo and the secret parameters of its query and fragment redacted. */
export function redactUrl(url: string): string {
  const bare = redactUserinfo(url);
  const q = bare.search(/[?#]/);
  if (q < 0) return bare;
  // A fragment carries parameters too (the implicit flow, response_mode=fragment).
  return bare.slice(0, q + 1) + bare.slice(q + 1).split("#").map(redactForm).join("#");
}

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;

/** Every URL inside free text redacted as {@link redactUrl} does (error messages, notes, bodies). */
export function redactUrlsIn(text: string): string {
  return text.includes("://") ? text.replace(URL_IN_TEXT, redactUrl) : text;
}

/** Challenges (WWW-Authenticate) name a scheme too, but carry no credentials. */
function credentialsIn(name: string, value: string): RegExpExecArray | null {
  return /-authenticate$/i.test(name) ? null : CREDENTIALS.exec(value);
}

/**
 * A signed JWT we made (a DPoP proof): the signature is the secret part, the header and claims
 * are what a reader needs to check it, so they are shown decoded.
 */
export function redactSignedJwt(value: string): string | undefined {
  const parts = value.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const [header, claims] = parts.slice(0, 2).map((part) => JSON.stringify(JSON.parse(Buffer.from(part!, "base64url").toString("utf8"))));
    return `[signed JWT, signature redacted] header=${header} claims=${claims}`;
  } catch {
    return undefined;
  }
}

export function redactHeader(name: string, value: string): string {
  // RFC 9449 §4.2: a proof's claims (htm, htu, iat, nonce, ath) are what a failure is debugged with.
  if (name.toLowerCase() === "dpop") return redactSignedJwt(value) ?? mask(value);
  const credentials = credentialsIn(name, value);
  if (credentials) return `${credentials[1]}${mask(credentials[2]!)}`;
  if (!isSecretHeader(name)) return value;
  return mask(value);
}

/** The credentials part of a header value that carries one (after its scheme), else the value if the header is a secret. */
export function headerSecret(name: string, value: string): string | undefined {
  const credentials = credentialsIn(name, value);
  if (credentials) return credentials[2];
  return isSecretHeader(name) ? value : undefined;
}

/**
 * application/x-www-form-urlencoded encoding (RFC 6749 Appendix B): what a secret looks like in a
 * form body or inside HTTP Basic credentials.
 */
function formEncoded(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+");
}

/**
 * Every form a secret can take in text we print: as is, percent-encoded (upper and lower hex),
 * form-encoded, JSON-escaped, and base64 / base64url (what Basic credentials and echoing servers use).
 */
export function secretForms(secret: string): string[] {
  // A hostile file can hand us megabytes as a "secret": its encodings would cost many times that in memory.
  if (secret.length > MAX_ENCODED_SECRET) return [secret];
  // A lone surrogate is sent as U+FFFD (formEncode, URLSearchParams), and encodeURIComponent would throw on it.
  const sent = secret.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
  const forms = new Set<string>([secret, encodeURIComponent(sent), formEncoded(sent), JSON.stringify(secret).slice(1, -1)]);
  for (const form of [...forms]) forms.add(form.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()));
  const base64 = Buffer.from(secret, "utf8").toString("base64");
  forms.add(base64);
  forms.add(base64.replace(/=+$/, ""));
  forms.add(Buffer.from(secret, "utf8").toString("base64url"));
  return [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH);
}

/** Longer values are scrubbed as written only; real tokens (JWTs included) are far shorter. */
export const MAX_ENCODED_SECRET = 64 * 1024;

/** Shorter values would blank out ordinary words; no real credential is this short. */
export const MIN_SECRET_LENGTH = 4;

/**
 * Last line of defence: any literal secret we know of (the client secret, tokens we hold) is
 * scrubbed from the text, whatever field or encoding carried it.
 */
export function scrubLiterals(text: string, secrets: readonly string[]): string {
  const pairs: [string, string][] = [];
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of secretForms(secret)) pairs.push([form, mask(secret)]);
  }
  return scrubForms(text, pairs);
}

/** Replaces each form with its mask, longest first, so a secret inside a longer one does not split it. */
export function scrubForms(text: string, pairs: readonly (readonly [string, string])[]): string {
  let out = text;
  for (const [form, masked] of [...pairs].sort((a, b) => b[0].length - a[0].length)) {
    if (out.includes(form)) out = out.split(form).join(masked);
  }
  return out;
}
