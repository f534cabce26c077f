import { describeSigkillDuringRefresh } from "./crash.scenario.js";

// 50 random kills: enough for the kills to land in every phase of a refresh (npm run test:stress).
describeSigkillDuringRefresh(50, 300_000);
