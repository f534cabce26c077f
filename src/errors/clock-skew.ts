/**
 * Above this many seconds, a difference between the server's Date header and our clock is worth
 * saying: as a warning after a good answer, as evidence for clock-skew after a refusal.
 */
export const CLOCK_SKEW_LIMIT_S = 60;

/** Server clock minus ours, in whole seconds; undefined without a readable Date header. */
export function clockSkewSeconds(date: string | undefined, now: number): number | undefined {
  const server = date === undefined ? Number.NaN : Date.parse(date);
  return Number.isNaN(server) ? undefined : Math.round((server - now) / 1000);
}
