import type { TokenResult } from "../oauth/token-response.js";
import type { Style } from "./style.js";
import { jsonSafe, visible } from "./terminal.js";

export type OutputMode = "pretty" | "json" | "env" | "token";
export const OUTPUT_MODES: readonly OutputMode[] = ["pretty", "json", "env", "token"];

/** The JSON document on stdout: RFC 6749 names first, then every other field as sent. */
export function formatJson(tokens: TokenResult, extra: Record<string, unknown> = {}): string {
  const { access_token, token_type, expires_in, refresh_token, scope, id_token, expires_at, ...rest } = tokens;
  const ordered = { access_token, token_type, expires_in, expires_at, refresh_token, scope, id_token, ...rest, ...extra };
  return `${jsonSafe(JSON.stringify(ordered, null, 2))}\n`;
}

const SAFE = /^[A-Za-z0-9._~+/=:@%,-]*$/;

/** A value for `eval` and for $GITHUB_ENV: bare when it is safe to be, else single-quoted. */
function shellValue(value: string): string {
  return SAFE.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

const ENV_NAMES: readonly (readonly [keyof TokenResult, string])[] = [
  ["access_token", "OAUTH_ACCESS_TOKEN"],
  ["token_type", "OAUTH_TOKEN_TYPE"],
  ["expires_in", "OAUTH_EXPIRES_IN"],
  ["expires_at", "OAUTH_EXPIRES_AT"],
  ["refresh_token", "OAUTH_REFRESH_TOKEN"],
  ["scope", "OAUTH_SCOPE"],
  ["id_token", "OAUTH_ID_TOKEN"],
];

export function formatEnv(tokens: TokenResult): string {
  return ENV_NAMES.filter(([field]) => tokens[field] !== undefined)
    .map(([field, name]) => `${name}=${shellValue(String(tokens[field]))}\n`)
    .join("");
}

function humanDuration(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${Math.round(seconds / 360) / 10} h`;
  return `${Math.round(seconds / 8640) / 10} days`;
}

/** Claims of a JWT, for display only: never verified, never trusted. */
export function peekJwt(token: string): Record<string, unknown> | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8"));
    return typeof claims === "object" && claims !== null ? claims : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Who the access token is for: `aud` of a JWT access token (RFC 9068 §2.2), as the token says
 * (a string or a list). Undefined for an opaque token. For display only, never verified.
 */
export function accessTokenAudience(tokens: Pick<TokenResult, "access_token">): string | string[] | undefined {
  const aud = peekJwt(tokens.access_token)?.aud;
  if (typeof aud === "string") return aud;
  if (Array.isArray(aud) && aud.every((a) => typeof a === "string")) return aud as string[];
  return undefined;
}

/** For people, on a terminal: every value is the server's text, so its control characters are shown, not obeyed. */
export function formatPretty(tokens: TokenResult, style: Style): string {
  const lines: string[] = [];
  const expiry = tokens.expires_in !== undefined ? `, expires in ${humanDuration(tokens.expires_in)} (${tokens.expires_at})` : ", no expiry given";
  lines.push(style.green(style.bold(`✓ ${visible(tokens.token_type)} access token`)) + style.dim(visible(expiry)));
  lines.push(visible(tokens.access_token));
  const audience = accessTokenAudience(tokens);
  if (audience !== undefined) lines.push(`${style.bold("audience")}       ${visible(Array.isArray(audience) ? audience.join(" ") : audience)}`);
  if (tokens.scope !== undefined) lines.push(`${style.bold("scope")}          ${visible(tokens.scope)}`);
  if (tokens.refresh_token !== undefined) lines.push(`${style.bold("refresh_token")}  ${visible(tokens.refresh_token)}`);
  if (tokens.id_token !== undefined) {
    lines.push(`${style.bold("id_token")}       ${visible(tokens.id_token)}`);
    const claims = peekJwt(tokens.id_token);
    if (claims) {
      const shown = ["iss", "sub", "aud", "email", "name", "exp"].filter((k) => claims[k] !== undefined);
      for (const k of shown) lines.push(style.dim(`  ${k}: ${jsonSafe(JSON.stringify(claims[k]) ?? "")}`));
    }
  }
  const known = new Set(["access_token", "token_type", "expires_in", "expires_at", "refresh_token", "scope", "id_token"]);
  for (const [k, v] of Object.entries(tokens)) {
    if (!known.has(k) && v !== undefined) lines.push(`${style.bold(visible(k))}  ${typeof v === "string" ? visible(v) : jsonSafe(JSON.stringify(v) ?? "")}`);
  }
  return `${lines.join("\n")}\n`;
}

export function formatTokens(tokens: TokenResult, mode: OutputMode, style: Style, extra: Record<string, unknown> = {}): string {
  switch (mode) {
    case "json":
      return formatJson(tokens, extra);
    case "env":
      return formatEnv(tokens);
    case "token":
      return `${tokens.access_token}\n`;
    case "pretty":
      return formatPretty(tokens, style);
  }
}
