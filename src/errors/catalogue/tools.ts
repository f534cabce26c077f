/** "Check aud in the token": through `oauth-cli inspect`, which shows a JWT's header and claims and checks them. */
export function checkClaims(what: string, claims: string): string {
  return `Run \`oauth-cli inspect\` on ${what} and check ${claims}`;
}
