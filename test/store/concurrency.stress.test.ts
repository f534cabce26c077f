import { describeConcurrentRefresh } from "./concurrency.scenario.js";

// 8 processes × 5 rounds (npm run test:stress): the figures in concurrency.scenario.ts come from this size.
describeConcurrentRefresh(8, 5, 180_000);
