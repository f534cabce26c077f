// Build step after `tsc` (see package.json "build"): bundles the CLI with esbuild into dist/bundle/,
// because start-up time is mostly module loading — one file instead of ~60 resolved, read and
// compiled one by one. tsc still type-checks and still emits dist/ module by module (other scripts
// import those). Commands, the error explainer, chalk and undici stay lazy: every `import()` of a
// literal path becomes its own chunk, loaded when a command runs.
import { build } from "esbuild";
import { readFileSync, rmSync, writeFileSync } from "node:fs";

/** Bundled for speed; every other package (oidc-provider, open, @inquirer/prompts, …) is loaded from node_modules as is. */
const BUNDLED = new Set(["commander", "undici", "chalk"]);
const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));

const packagesOutside = {
  name: "packages-outside",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith("node:")) return { external: true };
      const name = args.path.startsWith("@") ? args.path.split("/").slice(0, 2).join("/") : args.path.split("/")[0];
      return BUNDLED.has(name) ? undefined : { path: args.path, external: true };
    });
  },
};

/** src/version.ts reads package.json at run time; the bundle has the value written in instead. */
const inlineVersion = {
  name: "inline-version",
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]version\.ts$/ }, () => ({
      contents: `export const VERSION = ${JSON.stringify(version)};`,
      loader: "ts",
    }));
  },
};

// Chunk names carry content hashes: clear out the previous build's.
rmSync("dist/bundle", { recursive: true, force: true });

const result = await build({
  entryPoints: { "oauth-cli": "src/cli-entry.ts" },
  outdir: "dist/bundle",
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.18",
  plugins: [packagesOutside, inlineVersion],
  // undici is CommonJS and calls require() for Node's built-ins; ESM has no `require` of its own.
  banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
  logLevel: "warning",
  metafile: true,
});
if (process.env.BUNDLE_META) writeFileSync(process.env.BUNDLE_META, JSON.stringify(result.metafile));
