// Build step after `tsc` (see package.json "build"): bundles the CLI with esbuild into one CommonJS
// file, dist/bundle/oauth-cli.cjs, because start-up time is mostly module loading. Measured with
// `npm run bench`: one CJS file beats both ~60 separate modules and an ESM bundle split into
// chunks (Node 20's ESM loader costs a few ms per module; Node 24 caches CJS compiles as well).
// Code stays lazy: esbuild wraps each module reached by `import()` (commands, the explainer, chalk,
// undici's parts) in an initialiser that runs only when the import does. tsc still type-checks and
// still emits dist/ module by module (other scripts import those).
import { build } from "esbuild";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

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

/**
 * Start-up on Node 20 pays for every built-in module a run loads (this Debian Node compiles them
 * from source each time): node:crypto ~15 ms, node:child_process ~10 ms. Our modules import crypto
 * at the top for things a token request rarely does (PKCE, state, lock files), and commander loads
 * child_process only for executable subcommands. These resolve to stand-ins that load the real
 * module on first call: for our ES modules, one wrapper per lower-case function of the module (a
 * class or constant imported from it is a build error, naming it; import it from elsewhere or add
 * it here); for CommonJS packages, a Proxy, since they read properties at the call site.
 */
const LAZY_BUILTINS = ["crypto", "child_process"];
const nodeRequire = createRequire(import.meta.url);

function writeLazyEsm(name) {
  const real = nodeRequire(`node:${name}`);
  const functions = Object.keys(real).filter((key) => /^[a-z]/.test(key) && typeof real[key] === "function");
  return [
    `import { createRequire } from "node:module";`,
    `let real;`,
    `const load = () => (real ??= createRequire(__filename)("node:${name}"));`,
    ...functions.map((key) => `export function ${key}(...args) { return load().${key}(...args); }`),
  ].join("\n");
}

function writeLazyCjs(name) {
  return `let real;
const load = () => (real ??= require("node:${name}"));
module.exports = new Proxy({}, {
  get: (_, key) => load()[key],
  has: (_, key) => key in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_, key) => {
    const d = Reflect.getOwnPropertyDescriptor(load(), key);
    return d && { ...d, configurable: true };
  },
});`;
}

const lazyBuiltins = {
  name: "lazy-builtins",
  setup(b) {
    const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.join("|")})$`);
    b.onResolve({ filter }, (args) => {
      const name = args.path.replace(/^node:/, "");
      if (args.namespace.startsWith("lazy-")) return { path: `node:${name}`, external: true };
      return { path: name, namespace: /\.[cm]?ts$/.test(args.importer) ? "lazy-esm" : "lazy-cjs" };
    });
    b.onLoad({ filter: /.*/, namespace: "lazy-esm" }, (args) => ({ loader: "js", contents: writeLazyEsm(args.path) }));
    b.onLoad({ filter: /.*/, namespace: "lazy-cjs" }, (args) => ({ loader: "js", contents: writeLazyCjs(args.path) }));
  },
};

/**
 * undici loads its HTTP/2 client (node:http2, which loads tls and crypto) at the top, and then
 * destructures its constants, which no stand-in can defer; it is needed only when a server
 * negotiates h2, which undici does not offer by default. Deferred to first use. If a new undici
 * changes the text, the build says so and the bundle is just slower, never wrong.
 */
const DEFERRED = [
  {
    file: /node_modules[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client\.js$/,
    from: "const connectH2 = require('./client-h2.js')",
    to: "function connectH2 (...args) { return require('./client-h2.js')(...args) }",
  },
];

const deferHttp2 = {
  name: "defer-http2",
  setup(b) {
    for (const { file, from, to } of DEFERRED) {
      b.onLoad({ filter: file }, (args) => {
        const source = readFileSync(args.path, "utf8");
        if (!source.includes(from)) return { contents: source, loader: "js", warnings: [{ text: `build.mjs: "${from}" not found; not deferred` }] };
        return { contents: source.replace(from, to), loader: "js" };
      });
    }
  },
};

// Clear out earlier builds (and their layouts).
rmSync("dist/bundle", { recursive: true, force: true });

const result = await build({
  entryPoints: ["src/cli-entry.ts"],
  outfile: "dist/bundle/oauth-cli.cjs",
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20.18",
  plugins: [lazyBuiltins, packagesOutside, inlineVersion, deferHttp2],
  // CommonJS has no import.meta; give modules that resolve files next to themselves the bundle's URL.
  define: { "import.meta.url": "__bundleUrl" },
  banner: { js: 'const __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: "warning",
  metafile: true,
});
if (process.env.BUNDLE_META) writeFileSync(process.env.BUNDLE_META, JSON.stringify(result.metafile));
