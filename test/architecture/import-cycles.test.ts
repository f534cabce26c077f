import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * Dependencies point one way: no module may, through its imports, end up importing itself. A cycle
 * makes the load order decide what is initialised (a `const` read before it is set), and hides
 * which layer depends on which. Counted: every import that loads a module at run time — static
 * `import`/`export … from`, side-effect imports and `import()`. Not counted: `import type` and
 * `export type`, which the compiler erases.
 */
const SRC = fileURLToPath(new URL("../../src", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The relative specifiers a file loads at run time, resolved to .ts paths under src/. */
export function runtimeImports(file: string, text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const specifiers: string[] = [];
  const statement = /^\s*(import|export)\s+(type\s+)?([^;]*?)\s*from\s*["']([^"']+)["']/gms;
  for (const match of code.matchAll(statement)) if (!match[2]) specifiers.push(match[4]!);
  for (const match of code.matchAll(/^\s*import\s*["']([^"']+)["']/gm)) specifiers.push(match[1]!);
  for (const match of code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) specifiers.push(match[1]!);
  return specifiers.filter((s) => s.startsWith(".")).map((s) => resolve(dirname(file), s.replace(/\.js$/, ".ts")));
}

/** Every cycle found by a depth-first walk, each as the list of files from its start back to it. */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "open") cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

describe("import graph of src/", () => {
  it("the checker finds a cycle when there is one (so a pass below means something)", () => {
    const graph = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]]);
    expect(findCycles(graph)).toEqual([["a", "b", "c", "a"]]);
    expect(runtimeImports("/x/a.ts", 'import type { T } from "./t.js";\nimport { v } from "./v.js";\nconst m = () => import("./lazy.js");')).toEqual(["/x/v.ts", "/x/lazy.ts"]);
  });

  it("has no cycles", () => {
    const graph = new Map(sourceFiles(SRC).map((file) => [file, runtimeImports(file, readFileSync(file, "utf8"))]));
    const cycles = findCycles(graph).map((cycle) => cycle.map((file) => relative(SRC, file)).join(" → "));
    expect(cycles).toEqual([]);
  });
});
