import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { introspect, PUBLIC, startTestProvider, tokenRequest, type Sandbox } from "../support/provider.js";
import { assertBuilt, runCliProcess } from "./spawn.js";
import { seedStore, tempDir } from "./support.js";

/*
 * `processes` processes at once, `rounds` rounds each, all `refresh --store` on one file against a provider that
 * rotates refresh tokens and revokes the whole grant when a spent one comes back.
 * --min-ttl 7200 is above the 3600 s token lifetime, so no run may answer from the cache: every
 * round must refresh, and each must use the refresh token the previous one stored.
 *
 * Without the lock this fails. Checked by hand, twice, with a temporary local patch (never
 * committed: a private build in which acquireStoreLock returned at once without creating
 * <store>.lock): 1 of the 40 runs exited 0 and 39 exited 1 with invalid_grant (round 1: 7 of 8
 * failed, since they sent the refresh token the first one had just spent and the provider revoked
 * the whole grant; rounds 2–5: 8 of 8 failed), the one printed access token was no longer active,
 * and the final stored refresh token was refused ("refresh token not found"). Same figures on all
 * three tries (two of them through a forwarder adding 100 ms of return-trip latency, one direct).
 */

/** Registers the scenario in the calling test file: concurrency.test.ts (short), concurrency.stress.test.ts (8 × 5). */
export function describeConcurrentRefresh(processes: number, rounds: number, timeoutMs: number): void {
  let sandbox: Sandbox;
  beforeAll(async () => {
    assertBuilt();
    sandbox = await startTestProvider();
  });
  afterAll(async () => sandbox?.close());

  describe("concurrent refresh --store", () => {
    it(`${processes} processes × ${rounds} round${rounds === 1 ? "" : "s"}: all exit 0, every token is live, the last refresh token works`, async () => {
      const store = join(tempDir(), "shared.json");
      await seedStore(sandbox, store);

      const worker = async (id: number) => {
        const results = [];
        for (let round = 0; round < rounds; round++) {
          results.push({ id, round, ...(await runCliProcess(["refresh", "--store", store, "--min-ttl", "7200", "-o", "json", "--lock-timeout", "120"])) });
        }
        return results;
      };
      const runs = (await Promise.all(Array.from({ length: processes }, (_, id) => worker(id)))).flat();

      const failed = runs.filter((r) => r.code !== 0);
      const byRound = Array.from({ length: rounds }, (_, round) => runs.filter((r) => r.round === round && r.code !== 0).length);
      console.log(`concurrent refresh: ${runs.length - failed.length}/${runs.length} runs exited 0; failures per round: ${byRound.join(", ")}`);
      expect(failed.map((r) => `process ${r.id} round ${r.round}: exit ${r.code}\n${r.stderr}`)).toEqual([]);
      const printed = runs.map((r) => JSON.parse(r.stdout) as { access_token: string; from_cache: boolean; rotated: boolean });
      // Every run refreshed (nobody answered from the cache), and every refresh rotated.
      expect(printed.every((p) => p.from_cache === false && p.rotated === true)).toBe(true);
      expect(new Set(printed.map((p) => p.access_token)).size).toBe(processes * rounds);

      // A reused refresh token would have revoked the grant and with it every token printed so far.
      const states = await Promise.all(printed.map((p) => introspect(sandbox, p.access_token)));
      expect(states.filter((s) => s.active !== true)).toEqual([]);

      const final = JSON.parse(readFileSync(store, "utf8")) as { refresh_token: string };
      const check = await tokenRequest(sandbox, { grant_type: "refresh_token", refresh_token: final.refresh_token, client_id: PUBLIC.id });
      expect(check.status).toBe(200);
    }, timeoutMs);
  });
}
