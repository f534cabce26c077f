import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/** Dependencies point one way: the command layer uses store/ and fs/, never the reverse. */
const SRC = fileURLToPath(new URL("../../src/", import.meta.url));

function importsOf(folder: string): { file: string; spec: string }[] {
  const out: { file: string; spec: string }[] = [];
  for (const name of readdirSync(join(SRC, folder), { recursive: true }) as string[]) {
    if (!name.endsWith(".ts")) continue;
    const text = readFileSync(join(SRC, folder, name), "utf8");
    for (const match of text.matchAll(/(?:from|import\()\s*["']([^"']+)["']/g)) out.push({ file: `${folder}/${name}`, spec: match[1]! });
  }
  return out;
}

describe("layering", () => {
  it.each(["store", "fs"])("src/%s imports nothing from the command layer (cli/, commands/, program, main, context)", (folder) => {
    const imports = importsOf(folder);
    expect(imports.length).toBeGreaterThan(0);
    const upward = imports.filter(({ spec }) => /(^|\/)(cli|commands)\/|\/(program|main|context|system-context)\.js$/.test(spec));
    expect(upward).toEqual([]);
  });
});
