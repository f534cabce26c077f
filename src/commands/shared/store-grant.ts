import { UsageError } from "../../errors/cli-error.js";
import type { StoredTokenSet } from "../../store/index.js";

/** Where and for whom the run wants tokens; undefined = not said (the store's value is used). */
export interface GrantFlags {
  readonly tokenEndpoint?: string;
  readonly issuer?: string;
  readonly clientId?: string;
}

/** Issuers compare as strings (RFC 9207 §2.4), give or take the trailing slash people add. */
const sameIssuer = (a: string, b: string) => a.replace(/\/+$/, "") === b.replace(/\/+$/, "");

/** What the stored set says that contradicts what the run asked for, if anything. */
function grantConflict(stored: StoredTokenSet, asked: GrantFlags): string | undefined {
  if (asked.tokenEndpoint !== undefined && stored.token_endpoint !== asked.tokenEndpoint) return `token endpoint ${stored.token_endpoint}, not ${asked.tokenEndpoint}`;
  if (asked.issuer !== undefined && stored.issuer !== undefined && !sameIssuer(stored.issuer, asked.issuer)) return `issuer ${stored.issuer}, not ${asked.issuer}`;
  if (asked.clientId !== undefined && stored.client_id !== asked.clientId) return `client ${stored.client_id ?? "(none)"}, not ${asked.clientId}`;
  return undefined;
}

/** A cached token is only an answer when everything asked for is known to match (an unknown stored issuer is no match). */
export function isSameGrant(stored: StoredTokenSet, asked: GrantFlags): boolean {
  return grantConflict(stored, asked) === undefined && (asked.issuer === undefined || stored.issuer !== undefined);
}

/**
 * A store holds one grant. Its tokens are never sent to, or served for, another endpoint or
 * client than the one they came from: that would hand a refresh token to the wrong server.
 */
export function refuseOtherGrant(path: string, stored: StoredTokenSet, asked: GrantFlags): void {
  const conflict = grantConflict(stored, asked);
  if (conflict === undefined) return;
  throw new UsageError(`the token store ${path} holds tokens of another grant (${conflict})`, {
    hint: "A store holds one grant: give this one a store of its own (--store OTHER_PATH), or drop the flag to use the stored grant.",
  });
}
