import { describeConcurrentRefresh } from "./concurrency.scenario.js";

// One round of 3 processes keeps the behaviour in `npm test`; concurrency.stress.test.ts runs 8 × 5.
// This short run also fails without the lock: checked 3 times with a private build whose
// acquireStoreLock took no lock (never committed): each time 2 of the 3 runs exited 1 with invalid_grant.
describeConcurrentRefresh(3, 1, 120_000);
