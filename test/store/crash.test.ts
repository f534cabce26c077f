import { describeSigkillDuringRefresh } from "./crash.scenario.js";

// A few kills keep the behaviour in `npm test`; crash.stress.test.ts (npm run test:stress) runs 50.
describeSigkillDuringRefresh(5, 120_000);
