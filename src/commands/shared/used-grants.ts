import { createHash } from "node:crypto";
import { isAbsolute, join } from "node:path";
import type { Context } from "../../context.js";
import { ensurePrivateDir, readBoundedRegularFile, writeFileAtomically } from "../../fs/safe-file.js";

/**
 * A small record of the codes and refresh tokens oauth-cli has sent, so a reused code or a reused
 * rotated refresh token is recognised across runs (`exchange` twice with the same code). Only a
 * SHA-256 of (kind, token endpoint, value) is kept, never the value; the file is 0600, old entries are
 * pruned, and every failure to read or write it is ignored: it is evidence, not state anyone needs.
 */
export type GrantKind = "code" | "refresh_token";

export interface GrantUse {
  /** ms since epoch. */
  readonly at: number;
  /** "tokens" on success, else the OAuth error code the server answered. */
  readonly outcome: string;
  /** refresh_token only: the answer carried a new, different refresh token (the server rotates). */
  readonly rotated?: boolean;
}

/**
 * A code `authorize --no-exchange` handed to the user: when the authorization request was sent and
 * when the code reached oauth-cli. The code cannot be older than the first nor younger than the
 * second, which bounds its age when `exchange` redeems it later.
 */
export interface CodeArrival {
  /** ms since epoch: the authorization request was made before this. */
  readonly requestedAt: number;
  /** ms since epoch: the redirect reached the listener, or the user pasted it. */
  readonly arrivedAt: number;
  readonly via: "listener" | "paste";
  /** The authorization request's redirect_uri, which the exchange must repeat (RFC 6749 §4.1.3). */
  readonly redirectUri: string;
}

/** What oauth-cli knows about one code or refresh token: sending it and redeeming it are different facts. */
export interface GrantRecord {
  /** The last time oauth-cli sent it to the token endpoint, and what the server answered then. */
  readonly sent?: GrantUse;
  readonly arrival?: CodeArrival;
}

const FILE = "used-grants.json";
/** Codes live minutes; refresh tokens months. Past this an entry says nothing useful. */
const KEEP_MS: Readonly<Record<GrantKind, number>> = { code: 24 * 3600_000, refresh_token: 90 * 24 * 3600_000 };
const MAX_ENTRIES = 500;

/** On disk: `at` is the latest event (for pruning); `outcome` is present once the grant was sent. */
interface Entry {
  readonly kind: GrantKind;
  readonly at: number;
  readonly outcome?: string;
  readonly rotated?: boolean;
  readonly arrival?: CodeArrival;
}

function isArrival(v: unknown): v is CodeArrival {
  const a = v as Partial<CodeArrival> | null;
  return !!a && typeof a.requestedAt === "number" && typeof a.arrivedAt === "number" && (a.via === "listener" || a.via === "paste") && typeof a.redirectUri === "string";
}

/** `$XDG_STATE_HOME/oauth-cli`, else `~/.local/state/oauth-cli` (XDG Base Directory spec: relative values are ignored). */
export function stateDir(ctx: Pick<Context, "env" | "homedir">): string {
  const xdg = ctx.env.XDG_STATE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(ctx.homedir, ".local", "state"), "oauth-cli");
}

function keyOf(kind: GrantKind, endpoint: string, value: string): string {
  return createHash("sha256").update(`${kind}\0${endpoint}\0${value}`).digest("base64url");
}

function load(path: string): Record<string, Entry> {
  try {
    // Ours only, and small (500 hashes): anything else is ignored like a missing file.
    const data: unknown = JSON.parse(readBoundedRegularFile(path, 1024 * 1024, { requireOwner: true }).text);
    if (typeof data !== "object" || data === null || Array.isArray(data)) return {};
    const out: Record<string, Entry> = {};
    for (const [key, v] of Object.entries(data as Record<string, unknown>)) {
      const e = v as Partial<Entry> | null;
      if (!e || (e.kind !== "code" && e.kind !== "refresh_token") || typeof e.at !== "number") continue;
      const arrival = isArrival(e.arrival) ? e.arrival : undefined;
      if (typeof e.outcome === "string" || arrival) out[key] = { kind: e.kind, at: e.at, ...(typeof e.outcome === "string" && { outcome: e.outcome }), ...(typeof e.rotated === "boolean" && { rotated: e.rotated }), ...(arrival && { arrival }) };
    }
    return out;
  } catch {
    return {};
  }
}

/** What oauth-cli recorded about this code or refresh token at this endpoint, if anything. */
export function findGrantUse(ctx: Pick<Context, "env" | "homedir">, kind: GrantKind, endpoint: string, value: string): GrantRecord | undefined {
  const entry = load(join(stateDir(ctx), FILE))[keyOf(kind, endpoint, value)];
  if (entry?.kind !== kind) return undefined;
  const sent = entry.outcome !== undefined ? { at: entry.at, outcome: entry.outcome, ...(entry.rotated !== undefined && { rotated: entry.rotated }) } : undefined;
  return { ...(sent && { sent }), ...(entry.arrival && { arrival: entry.arrival }) };
}

/** Remembers one use (keeping what is known of the code's arrival); prunes expired entries and keeps the newest {@link MAX_ENTRIES}. Never throws. */
export function recordGrantUse(ctx: Pick<Context, "env" | "homedir" | "now">, kind: GrantKind, endpoint: string, value: string, use: GrantUse): void {
  updateEntry(ctx, kind, endpoint, value, (prior) => ({ kind, ...use, ...(prior?.arrival && { arrival: prior.arrival }) }));
}

/** `authorize --no-exchange`: remembers when and how the code arrived, so a later `exchange` knows its age. */
export function recordCodeArrival(ctx: Pick<Context, "env" | "homedir" | "now">, endpoint: string, code: string, arrival: CodeArrival): void {
  updateEntry(ctx, "code", endpoint, code, (prior) => ({ ...prior, kind: "code", at: Math.max(prior?.at ?? 0, arrival.arrivedAt), arrival }));
}

function updateEntry(ctx: Pick<Context, "env" | "homedir" | "now">, kind: GrantKind, endpoint: string, value: string, update: (prior: Entry | undefined) => Entry): void {
  try {
    const dir = stateDir(ctx);
    const path = join(dir, FILE);
    const now = ctx.now();
    const all = load(path);
    const key = keyOf(kind, endpoint, value);
    const entries = Object.entries({ ...all, [key]: update(all[key]) })
      .filter(([, e]) => now - e.at < KEEP_MS[e.kind])
      .sort(([, a], [, b]) => b.at - a.at)
      .slice(0, MAX_ENTRIES);
    ensurePrivateDir(dir);
    writeFileAtomically(path, `${JSON.stringify(Object.fromEntries(entries))}\n`);
  } catch {
    // A read-only home or a full disk must not turn a good token response into a failure.
  }
}

/** The code or refresh token a token request spends, if it spends one. */
export interface SpentGrant {
  readonly kind: GrantKind;
  readonly value: string;
  readonly endpoint: string;
}

export function spentGrantOf(request: { readonly endpoints: { readonly tokenEndpoint: string }; readonly grant: Readonly<Record<string, string>> }): SpentGrant | undefined {
  const endpoint = request.endpoints.tokenEndpoint;
  if (request.grant.grant_type === "authorization_code" && request.grant.code) return { kind: "code", value: request.grant.code, endpoint };
  if (request.grant.grant_type === "refresh_token" && request.grant.refresh_token) return { kind: "refresh_token", value: request.grant.refresh_token, endpoint };
  return undefined;
}

/**
 * Records what became of a spent grant: "tokens" (and, for a refresh token, whether the server
 * rotated it) or the OAuth error code. Called after the tokens are saved, never before.
 */
export function recordSpentGrant(ctx: Pick<Context, "env" | "homedir" | "now">, spent: SpentGrant | undefined, step: { readonly receivedAt: number; readonly outcome: { readonly kind: "tokens"; readonly tokens: { readonly refresh_token?: string } } | { readonly kind: "failed"; readonly error: unknown } }): void {
  if (!spent) return;
  const { outcome } = step;
  if (outcome.kind === "tokens") {
    const fresh = outcome.tokens.refresh_token;
    const rotated = spent.kind === "refresh_token" ? fresh !== undefined && fresh !== spent.value : undefined;
    recordGrantUse(ctx, spent.kind, spent.endpoint, spent.value, { at: step.receivedAt, outcome: "tokens", ...(rotated !== undefined && { rotated }) });
    return;
  }
  const report = (outcome.error as { report?: { error?: string } }).report;
  // Only the server's answer says anything about the grant; a network failure or a garbled body does not.
  if (report) recordGrantUse(ctx, spent.kind, spent.endpoint, spent.value, { at: step.receivedAt, outcome: report.error || "error" });
}
