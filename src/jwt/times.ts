/** "45 s", "4 min", "2 h", "3 days": rounded for reading, not for arithmetic. */
export function humanSpan(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 360) / 10} h`;
  return `${Math.round(s / 8640) / 10} days`;
}

/** A NumericDate (RFC 7519 §2) as an ISO date, UTC. */
export function isoDate(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isFinite(date.getTime()) ? date.toISOString().replace(/\.000Z$/, "Z") : `(not a date: ${seconds})`;
}

/** The claims that are points in time, and how each reads relative to now. */
export const TIME_CLAIMS = ["exp", "nbf", "iat", "auth_time"] as const;

/**
 * "expires in 4 min", "expired 2 h ago", "issued 5 s ago", "valid from in 3 min"…
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDToken (exp, iat, auth_time)
 */
export function relativeTime(claim: string, seconds: number, nowSeconds: number): string {
  const delta = seconds - nowSeconds;
  const span = humanSpan(delta);
  const future = delta > 0;
  switch (claim) {
    case "exp":
      return future ? `expires in ${span}` : `expired ${span} ago`;
    case "nbf":
      return future ? `not valid for another ${span}` : `valid since ${span} ago`;
    case "iat":
      return future ? `issued ${span} in the future` : `issued ${span} ago`;
    case "auth_time":
      return future ? `signed in ${span} in the future` : `signed in ${span} ago`;
    default:
      return future ? `in ${span}` : `${span} ago`;
  }
}
