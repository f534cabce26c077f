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
]);

export const SECRET_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie", "dpop", "x-api-key"]);

export function mask(value: string): string {
  return `[redacted ${value.length} chars]`;
}

function isSecretField(name: string): boolean {
  return SECRET_FIELDS.has(name.toLowerCase());
}

/** Redacts secret values inside a form body or query string, keeping its shape. */
export function redactForm(form: string): string {
  return form
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      if (eq < 0) return pair;
      const name = decodeURIComponent(pair.slice(0, eq).replace(/\+/g, " "));
      return isSecretField(name) ? `${pair.slice(0, eq)}=${mask(pair.slice(eq + 1))}` : pair;
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

export function redactUrl(url: string): string {
  const q = url.indexOf("?");
  if (q < 0) return url;
  const hash = url.indexOf("#", q);
  const query = hash < 0 ? url.slice(q + 1) : url.slice(q + 1, hash);
  return `${url.slice(0, q + 1)}${redactForm(query)}${hash < 0 ? "" : url.slice(hash)}`;
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
  if (!SECRET_HEADERS.has(name.toLowerCase())) return value;
  // RFC 9449 §4.2: a proof's claims (htm, htu, iat, nonce, ath) are what a failure is debugged with.
  if (name.toLowerCase() === "dpop") return redactSignedJwt(value) ?? mask(value);
  const scheme = /^(\w+)\s+/.exec(value)?.[1];
  return scheme ? `${scheme} ${mask(value.slice(scheme.length + 1))}` : mask(value);
}

/**
 * Last line of defence: any literal secret we know of (the client secret, tokens we hold) is
 * scrubbed from the text, whatever field or encoding carried it.
 */
export function scrubLiterals(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    for (const form of new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])) {
      out = out.split(form).join(mask(secret));
    }
  }
  return out;
}
