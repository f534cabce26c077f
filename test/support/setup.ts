import { afterAll } from "vitest";
import { removeTempDirs } from "./temp.js";

// Runs in every test file (vitest setupFiles): the file's temp folders go when its tests end.
afterAll(removeTempDirs);
