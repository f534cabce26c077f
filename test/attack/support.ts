/** What every attack test checks on a run's output. */

/** A raw control character that a terminal would obey: C0 but tab and newline, DEL, C1, bidi controls. */
export const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/**
 * Every form a secret can take in printed text, computed here independently of src/output: as is,
 * percent-encoded (both hex cases), form-encoded, JSON-escaped, base64 and base64url.
 */
export function leakForms(secret: string): string[] {
  const pct = encodeURIComponent(secret);
  const form = new URLSearchParams({ x: secret }).toString().slice(2);
  const b64 = Buffer.from(secret).toString("base64");
  return [...new Set([secret, pct, pct.toLowerCase(), form, form.toLowerCase(), JSON.stringify(secret).slice(1, -1), b64, b64.replace(/=+$/, ""), Buffer.from(secret).toString("base64url")])];
}

/** The forms of `secrets` found in `text` (empty when nothing leaked). */
export function leaks(text: string, secrets: readonly string[]): string[] {
  return secrets.flatMap((secret) => leakForms(secret).filter((form) => text.includes(form)).map((form) => `${secret} as ${JSON.stringify(form)}`));
}

/** The HTTP Basic value oauth-cli sends for a client (RFC 6749 §2.3.1: form-encoded, then base64). */
export function basicValue(id: string, secret: string): string {
  const enc = (s: string) => new URLSearchParams({ x: s }).toString().slice(2);
  return Buffer.from(`${enc(id)}:${enc(secret)}`).toString("base64");
}

export const STACK_TRACE = /\n\s+at .+[(:]\d+/;
