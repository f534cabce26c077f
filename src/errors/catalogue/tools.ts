/**
 * Whether `oauth-cli inspect` (decodes a JWT and shows its claims) exists. Advice that needs a token
 * decoded names it only when this is true; flip it when the command ships.
 */
export const INSPECT_AVAILABLE = false;

/** "Check aud in the token": through `oauth-cli inspect` once it exists, else by hand, never as an ability we lack. */
export function checkClaims(what: string, claims: string, part: "payload" | "header" = "payload"): string {
  const where = part === "header" ? "its header is the base64url JSON before the first dot" : "its payload is the base64url JSON between the first and second dot";
  return INSPECT_AVAILABLE ? `Run \`oauth-cli inspect\` on ${what} and check ${claims}` : `Check ${claims} in ${what} (${where})`;
}
