#!/usr/bin/env node
import { main } from "../dist/main.js";
import { systemContext } from "../dist/system-context.js";

process.exitCode = await main(process.argv.slice(2), systemContext());
