import { join } from "node:path";
import { afterAll } from "vitest";
import { removeTempDirs, testHome } from "./temp.js";

// Runs in every test file (vitest setupFiles): the file's temp folders go when its tests end.
afterAll(removeTempDirs);

// Every process a test starts (the built CLI, sh, script, Python, Chromium) inherits this
// environment: a test home, so none of them writes config, state or caches into the user's home.
// npm keeps its real cache: the package test installs from it, and a cache is not the user's data.
process.env.npm_config_cache ??= join(process.env.HOME ?? testHome(), ".npm");
process.env.HOME = testHome();
for (const name of ["XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"]) delete process.env[name];
