import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseStore } from "../../src/store/token-store.js";
import { introspect, startTestProvider, type Sandbox } from "../support/provider.js";
import { assertBuilt, runCliProcess, startCli } from "./spawn.js";
import { seedStore, tempDir } from "./support.js";

/*
 * `refresh --store --force` killed with SIGKILL at a random moment, `runs` times. Whatever the moment,
 * the store must parse and hold either the whole old set or the whole new one (never a new access
 * token beside an old refresh token, never a truncated file).
 *
 * The one loss atomic writes cannot prevent: the provider has rotated the refresh token, and the
 * process dies before its rename. The code keeps that window to parsing + one write + fsync +
 * rename; this test counts how often a random kill landed in it (printed, not asserted: it is
 * a measurement of luck, and a loss there is the provider's rotation, not a torn file).
 */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Registers the scenario in the calling test file: crash.test.ts (a few kills), crash.stress.test.ts (many). */
export function describeSigkillDuringRefresh(runs: number, timeoutMs: number): void {
  let sandbox: Sandbox;
  beforeAll(async () => {
    assertBuilt();
    sandbox = await startTestProvider();
  });
  afterAll(async () => sandbox?.close());

  describe("SIGKILL during refresh --store", () => {
    it(`${runs} random kills: the store is always whole, old or new`, async () => {
      const store = join(tempDir(), "crash.json");
      await seedStore(sandbox, store);
      const args = ["refresh", "--store", store, "--force", "-o", "json", "--lock-timeout", "30"];

      // How long a run takes on this machine (median of 3), only to aim the kills (never asserted).
      // Each kill comes at a random moment up to `reach`; `reach` shrinks when runs finish before
      // their kill and grows when they die early, so the kills keep landing around the refresh
      // whatever the machine's load.
      const durations: number[] = [];
      for (let i = 0; i < 3; i++) {
        const started = Date.now();
        expect((await runCliProcess(args)).code).toBe(0);
        durations.push(Date.now() - started);
      }
      let reach = durations.sort((a, b) => a - b)[1]!;

      const tally = { old: 0, new: 0, completed: 0, lost: 0, recoveredLocks: 0 };
      for (let run = 0; run < runs; run++) {
        const beforeText = readFileSync(store, "utf8");
        const before = parseStore(beforeText, store);
        const running = startCli(args);
        await sleep(reach * (0.5 + Math.random() * 0.5));
        running.child.kill("SIGKILL");
        const finished = await running.done;
        if (/recovered a stale lock/.test(finished.stderr)) tally.recoveredLocks++;

        const afterText = readFileSync(store, "utf8");
        const after = parseStore(afterText, store); // throws on a torn or truncated file
        if (finished.signal === null) {
          expect(finished.code).toBe(0);
          tally.completed++;
          reach *= 0.85;
        }
        if (afterText === beforeText) {
          tally.old++;
          reach *= 1.1;
        } else {
          // A whole new set: both tokens changed together, and the replaced file is the backup.
          // (Not the id_token: RS256 is deterministic, so two refreshes in one second can sign the same one.)
          expect(after.access_token).not.toBe(before.access_token);
          expect(after.refresh_token).not.toBe(before.refresh_token);
          expect(Date.parse(after.saved_at)).toBeGreaterThan(Date.parse(before.saved_at));
          expect(readFileSync(`${store}.bak`, "utf8")).toBe(beforeText);
          if (finished.signal !== null) tally.new++;
        }

        // Did the kill land between the provider's rotation and our rename?
        const live = await introspect(sandbox, after.refresh_token!);
        if (live.active !== true) {
          expect(afterText).toBe(beforeText);
          tally.lost++;
          await seedStore(sandbox, store); // a new grant, so the next run has something to refresh
        }
      }

      // Leftovers of a killed writer are swept by the next lock holder; at most the last run's remain.
      const leftovers = readdirSync(dirname(store)).filter((name) => name.endsWith(".tmp"));
      expect(leftovers.length, `temp files left beside the store: ${leftovers.join(", ")}`).toBeLessThanOrEqual(1);
      expect(existsSync(store)).toBe(true);
      console.log(
        `SIGKILL × ${runs}: store untouched ${tally.old} (killed before the provider answered, or in the window), ` +
          `new set saved ${tally.new}, finished before the kill ${tally.completed}, ` +
          `rotated refresh token lost (killed between the provider's answer and the rename) ${tally.lost}; ` +
          `stale locks recovered ${tally.recoveredLocks}`,
      );
      expect(tally.old + tally.new + tally.completed).toBe(runs);
    }, timeoutMs);
  });
}
