/**
 * jose, the maintained JOSE implementation (panva/jose), for every JWS/JWE/JWK operation: nothing
 * here hand-writes signature crypto. It is an ES module loaded only by the commands that read
 * JWTs (inspect, and authorize when an ID token comes back), so no other command pays for it.
 */
export type Jose = typeof import("jose");

export function loadJose(): Promise<Jose> {
  return import("jose");
}
