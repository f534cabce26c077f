/** "Check aud in the token": through `oauth-cli inspect`, which shows a JWT's header and claims and checks them. */
export function checkClaims(what: string, claims: string): string {
  return `Run \`oauth-cli inspect\` on ${what} and check ${claims}`;
}

/** The names of the tables built so far in this process (see {@link builtOnFirstUse}); tests check a run builds only what it needs. */
const built = new Set<string>();

export function tablesBuilt(): readonly string[] {
  return [...built];
}

/**
 * A table built on its first use, then kept. For tables most runs never read (description rules,
 * one provider's codes): evaluating their literals is start-up time a bare error code does not need.
 */
export function builtOnFirstUse<T>(name: string, build: () => T): () => T {
  let value: T | undefined;
  return () => {
    if (value === undefined) {
      value = build();
      built.add(name);
    }
    return value;
  };
}
